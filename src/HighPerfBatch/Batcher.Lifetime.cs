using HighPerfBatch.Diagnostics;
using HighPerfBatch.Internal;

namespace HighPerfBatch;

// Flushing and shutdown: the two ways a caller waits for the send side.
public partial class Batcher<T>
{
    private readonly CancellationTokenSource _abandon = new();
    private List<FlushWaiter>? _flushWaiters;
    private Task? _disposeTask;

    private sealed class FlushWaiter(long through)
    {
        public long Through { get; } = through;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Sends the current batch now, full or not, and completes once every item accepted before the call has been
    /// delivered or given up (failed or dropped). Completes synchronously when nothing is pending.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the items are still sent.</param>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        FlushWaiter waiter;
        lock (_gate)
        {
            Segment<T> current = _current;
            if (!ReferenceEquals(current, _closed) && current.PeekClaimed() > 0)
            {
                SealCurrentLocked();
                TryOpenSegmentLocked(makeRoom: false);
            }

            // Segments are numbered as they are sealed, so "everything accepted before the call" is every segment up
            // to the last number handed out.
            long through = _nextSequence - 1;
            if (LowestUnsettledLocked() > through)
            {
                return default;
            }

            waiter = new FlushWaiter(through);
            (_flushWaiters ??= []).Add(waiter);
        }

        _wake.Set();
        return new ValueTask(waiter.Completion.Task.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Stops accepting items (<see cref="TryAdd"/> then returns <see langword="false"/> and counts a rejection;
    /// <see cref="AddAsync"/> throws <see cref="ObjectDisposedException"/>), sends everything buffered, waits for the
    /// sends in flight, and returns within <see cref="BatcherOptions.ShutdownTimeout"/>. Whatever could not be delivered
    /// by then is cancelled and counted as failed. Safe to call more than once and from several threads.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            if (_disposeTask is not null)
            {
                return new ValueTask(_disposeTask);
            }

            Volatile.Write(ref _disposing, true);
            SealCurrentLocked();
            room = _room;
            _room = null;
            _disposeTask = DisposeCoreAsync();
        }

        // Producers waiting for room wake up, see the batcher disposing and throw.
        room?.TrySetResult();
        GC.SuppressFinalize(this);
        return new ValueTask(_disposeTask);
    }

    private async Task DisposeCoreAsync()
    {
        // Runs under the lock until its first await: nothing here blocks. The timeout starts now, synchronously, so that
        // a test advancing a fake clock right after calling DisposeAsync is seen.
        using var timeout = new CancellationTokenSource();
        Task expired = Task.Delay(Options.ShutdownTimeout, _time, timeout.Token);
        _wake.Set();
        Task first = await Task.WhenAny(_loop, expired).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        if (!ReferenceEquals(first, _loop))
        {
            await AbandonAsync().ConfigureAwait(false);
        }

        _timer.Dispose();
        lock (_gate)
        {
            ReturnFreeArraysLocked();
        }

        BatcherMetrics.Unregister(this);
    }

    /// <summary>The shutdown timeout passed: cancel the sends in flight and count everything unsettled as failed.</summary>
    private async Task AbandonAsync()
    {
        await _abandon.CancelAsync().ConfigureAwait(false);
        List<(Segment<T> Segment, BatchFailure Failure)> queued = [];
        int abandoned = 0;
        lock (_gate)
        {
            foreach (Segment<T> segment in _sending)
            {
                if (segment.Abandoned == 0)
                {
                    // Reported under the lock: the send may complete any moment, and its completion recycles the
                    // segment under the same lock, so the items stay valid for the report. Shutdown path only.
                    segment.Abandoned = 1;
                    ReportFailure(segment.Pending, CountFailedLocked(segment));
                    abandoned++;
                }
            }

            while (_sealed.Count > 0)
            {
                Segment<T> segment = _sealed.Dequeue();
                Interlocked.Add(ref _sealedItems, -segment.Remaining);
                segment.Abandoned = 1;
                queued.Add((segment, CountFailedLocked(segment)));
            }

            _stopped = true;
            CompleteFlushWaitersLocked();
        }

        _telemetry.ShutdownTimedOut(abandoned + queued.Count);
        foreach ((Segment<T> segment, BatchFailure failure) in queued)
        {
            // Never handed to the sink, so nobody else holds its memory.
            ReportFailure(segment.Pending, failure);
            lock (_gate)
            {
                ReleaseLocked(segment);
            }
        }

        _wake.Set();
        StopWorkers();
    }

    private BatchFailure CountFailedLocked(Segment<T> segment)
    {
        int count = segment.Remaining;
        Interlocked.Add(ref _failed, count);
        Interlocked.Increment(ref _batchesFailed);
        return new BatchFailure(typeof(T), count, BatchFailureReason.Shutdown, Volatile.Read(ref segment.Attempts), Volatile.Read(ref segment.LastError));
    }

    /// <summary>The sequence number of the oldest batch not yet delivered or given up, or <see cref="long.MaxValue"/>.</summary>
    private long LowestUnsettledLocked()
    {
        long lowest = _sealed.Count > 0 ? _sealed.Peek().Sequence : long.MaxValue;
        foreach (Segment<T> segment in _sending)
        {
            if (segment.Abandoned == 0 && segment.Sequence < lowest)
            {
                lowest = segment.Sequence;
            }
        }

        return lowest;
    }

    private void CompleteFlushWaitersLocked()
    {
        if (_flushWaiters is not { Count: > 0 } waiters)
        {
            return;
        }

        long lowest = LowestUnsettledLocked();
        for (int i = waiters.Count - 1; i >= 0; i--)
        {
            if (waiters[i].Through < lowest)
            {
                waiters[i].Completion.TrySetResult();
                waiters.RemoveAt(i);
            }
        }
    }
}
