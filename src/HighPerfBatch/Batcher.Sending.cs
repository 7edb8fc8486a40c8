using System.Diagnostics;
using HighPerfBatch.Diagnostics;
using HighPerfBatch.Internal;

namespace HighPerfBatch;

// The send side: one dispatch loop decides what is due and hands segments to MaxConcurrentSends worker loops, which
// call the sink, retry, and settle each batch. All of it is async work on the thread pool that sleeps on allocation-free
// events when there is nothing to do; no dedicated thread, no free-running timer.
public partial class Batcher<T>
{
    private static readonly TimeSpan TimerArmingTolerance = TimeSpan.FromMilliseconds(1);

    private readonly TimeSpan _flushInterval;
    private readonly int _maxRetries;
    private readonly AsyncAutoResetEvent _wake = new();
    private readonly ITimer _timer;
    private readonly SendWorker[] _workers;
    private readonly Stack<SendWorker> _idle;
    private readonly List<Segment<T>> _sending = [];
    private readonly Task _loop;
    private int _inFlight;
    private bool _stopped;

    private sealed class SendWorker
    {
        public readonly AsyncAutoResetEvent Wake = new();
        public Segment<T>? Assigned;
        public Task? Loop;
    }

    private async Task RunSendLoopAsync()
    {
        while (true)
        {
            SendWorker? worker = null;
            long? wait = null;
            TaskCompletionSource? room = null;
            bool finished;
            lock (_gate)
            {
                if (_idle.Count > 0 && !_stopped)
                {
                    if (_sealed.Count == 0)
                    {
                        wait = SealIfDueLocked();
                    }

                    if (TakeNextLocked(out room) is { } next)
                    {
                        worker = _idle.Pop();
                        worker.Assigned = next;
                    }
                }

                finished = _stopped || (_disposing && _sealed.Count == 0 && _sending.Count == 0 && ReferenceEquals(_current, _closed));
            }

            room?.TrySetResult();
            if (worker is not null)
            {
                worker.Wake.Set();
                continue;
            }

            if (finished)
            {
                StopWorkers();
                return;
            }

            if (wait is { } firstItem)
            {
                ArmFlushTimer(firstItem);
            }

            await _wake.WaitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Arms the timer for the current batch's age deadline. A relative timer races with the clock: if the clock moves
    /// between computing the delay and arming it (a preempted thread, or a test advancing a fake clock), the timer
    /// would fire late by that much. So the delay is recomputed and the timer re-armed until the clock stood still.
    /// </summary>
    private void ArmFlushTimer(long firstItemTimestamp)
    {
        while (true)
        {
            long before = _time.GetTimestamp();
            TimeSpan remaining = _flushInterval - _time.GetElapsedTime(firstItemTimestamp, before);
            _timer.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            if (_time.GetElapsedTime(before) < TimerArmingTolerance)
            {
                return;
            }
        }
    }

    /// <summary>Seals the current segment when its first item is old enough; else returns that item's timestamp, to arm the timer.</summary>
    private long? SealIfDueLocked()
    {
        Segment<T> current = _current;
        if (ReferenceEquals(current, _closed))
        {
            return null;
        }

        long first = Volatile.Read(ref current.FirstItemTimestamp);
        if (first == 0)
        {
            // Empty, or its first producer has not stamped it yet; that producer wakes us when it has.
            return null;
        }

        if (_time.GetElapsedTime(first) < _flushInterval)
        {
            return first;
        }

        SealCurrentLocked();
        TryOpenSegmentLocked(makeRoom: false);
        return null;
    }

    private void StopWorkers()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        foreach (SendWorker worker in _workers)
        {
            worker.Wake.Set();
        }
    }

    /// <summary>Moves the oldest sealed segment to the sending set, or returns null when there is none.</summary>
    private Segment<T>? TakeNextLocked(out TaskCompletionSource? room)
    {
        room = null;
        if (_sealed.Count == 0)
        {
            return null;
        }

        Segment<T> next = _sealed.Dequeue();
        Interlocked.Add(ref _sealedItems, -next.Remaining);
        _sending.Add(next);
        _inFlight++;

        // The queue shrank: producers stuck on the closed sentinel get a segment again, and waiters retry.
        if (ReferenceEquals(_current, _closed))
        {
            TryOpenSegmentLocked(makeRoom: false);
        }

        room = _room;
        _room = null;
        return next;
    }

    private async Task RunWorkerAsync(SendWorker worker)
    {
        Segment<T>? segment = null;
        while (true)
        {
            if (segment is null)
            {
                await worker.Wake.WaitAsync().ConfigureAwait(false);
                lock (_gate)
                {
                    segment = worker.Assigned;
                    worker.Assigned = null;
                    if (segment is null && _stopped)
                    {
                        return;
                    }
                }

                if (segment is null)
                {
                    continue;
                }
            }

            // Inlined rather than a separate async method: this loop's state machine is allocated once, for the
            // batcher's lifetime, so a batch costs no allocation here however often the sink goes asynchronous.
            segment.WaitForWriters();
            CancellationToken abandon = _abandon.Token;
            int attempts = 0;
            Exception? lastError = null;
            BatchFailureReason? failure = null;
            long started = _time.GetTimestamp();
            Activity? activity = _telemetry.StartSend(segment.Remaining);
            while (true)
            {
                attempts++;
                Volatile.Write(ref segment.Attempts, attempts);
                try
                {
                    await _sink.SendAsync(segment.Pending, abandon).ConfigureAwait(false);
                    break;
                }
#pragma warning disable CA1031 // A sink that throws must never stop the batcher: every exception is a failed attempt.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    lastError = ex;
                    Volatile.Write(ref segment.LastError, ex);
                    var sendError = ex as BatchSendException;
                    if (sendError is { ItemsDelivered: > 0 } && SettlePrefix(segment, sendError.ItemsDelivered))
                    {
                        break;
                    }

                    if (abandon.IsCancellationRequested)
                    {
                        failure = BatchFailureReason.Shutdown;
                        break;
                    }

                    if (sendError is { IsPermanent: true })
                    {
                        failure = BatchFailureReason.Permanent;
                        break;
                    }

                    if (attempts > _maxRetries)
                    {
                        failure = BatchFailureReason.RetriesExhausted;
                        break;
                    }

                    Interlocked.Increment(ref _retries);
                    TimeSpan delay = Backoff.Delay(attempts, Options.RetryBaseDelay, Options.MaxRetryDelay, sendError?.RetryAfter);
                    _telemetry.Retrying(attempts, delay, ex);
                    try
                    {
                        await Task.Delay(delay, _time, abandon).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        failure = BatchFailureReason.Shutdown;
                        break;
                    }
                }
            }

            Settle(segment, failure, attempts, lastError, _time.GetElapsedTime(started), activity);
            activity?.Dispose();
            TaskCompletionSource? room = null;
            lock (_gate)
            {
                // Recycled under the lock, so that a shutdown reporting this segment as abandoned never sees it half recycled.
                _sending.Remove(segment);
                _inFlight--;
                ReleaseLocked(segment);
                CompleteFlushWaitersLocked();

                // A busy worker takes the next batch itself: under load, batches flow with no hop through the loop.
                segment = _stopped ? null : TakeNextLocked(out room);
                if (segment is null)
                {
                    _idle.Push(worker);
                }
            }

            room?.TrySetResult();
            if (segment is null)
            {
                // Idle again: the loop may have a due batch waiting for a free worker.
                _wake.Set();
            }
        }
    }

    /// <summary>Counts the first <paramref name="count"/> pending items as delivered; true when nothing is left.</summary>
    private bool SettlePrefix(Segment<T> segment, int count)
    {
        lock (_gate)
        {
            if (segment.Abandoned != 0)
            {
                return false;
            }

            int delivered = Math.Min(count, segment.Remaining);
            segment.Start += delivered;
            Interlocked.Add(ref _delivered, delivered);
            if (segment.Remaining > 0)
            {
                return false;
            }

            return true;
        }
    }

    private void Settle(Segment<T> segment, BatchFailureReason? failure, int attempts, Exception? error, TimeSpan duration, Activity? activity)
    {
        int count;
        lock (_gate)
        {
            // Exactly one of this completion and a shutdown that gave up on the send counts the batch.
            bool mine = segment.Abandoned == 0;
            segment.Abandoned = 1;
            count = mine ? segment.Remaining : -1;
            if (mine && failure is null)
            {
                Interlocked.Add(ref _delivered, count);
                Interlocked.Increment(ref _batchesSent);
            }
            else if (mine)
            {
                Interlocked.Add(ref _failed, count);
                Interlocked.Increment(ref _batchesFailed);
            }
        }

        _telemetry.BatchCompleted(segment.Count, duration, failure is null, activity);
        if (count > 0 && failure is { } reason)
        {
            ReportFailure(segment.Pending, new BatchFailure(typeof(T), count, reason, attempts, error));
        }

    }

    private void ReportFailure(ReadOnlyMemory<T> items, BatchFailure failure)
    {
        _telemetry.BatchFailed(failure);
        try
        {
            OnBatchFailed(items, failure);
            Options.OnBatchFailed?.Invoke(failure);
        }
#pragma warning disable CA1031 // A failing callback must not take the send loop down with it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _telemetry.CallbackFailed(ex);
        }
    }

    /// <summary>
    /// Called once for every batch that is given up, before <see cref="BatcherOptions.OnBatchFailed"/>, with the items
    /// themselves (valid only during the call): override it to dead-letter them. The base implementation does nothing.
    /// </summary>
    /// <param name="items">The items that were not delivered.</param>
    /// <param name="failure">Why, and after how many attempts.</param>
    protected virtual void OnBatchFailed(ReadOnlyMemory<T> items, BatchFailure failure)
    {
    }
}
