using System.Runtime.InteropServices;

namespace HighPerfBatch.Tests.Engine;

/// <summary>How a recorded call to a sink ended.</summary>
public enum CallOutcome
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>One call the batcher made to a test sink: a copy of the batch, taken on entry (the memory is only valid during the call).</summary>
public sealed class SinkCall<T>
{
    public required int Index { get; init; }

    /// <summary>1 for the first call whose batch starts with this item, 2 for the next, ... (filled by <see cref="ScriptedSink{T}"/>).</summary>
    public int Attempt { get; set; }

    public required T[] Items { get; init; }

    public required DateTimeOffset At { get; init; }

    public required CancellationToken Token { get; init; }

    /// <summary>The array behind the memory the batcher handed over, when it is array-backed.</summary>
    public T[]? UnderlyingArray { get; init; }

    public CallOutcome Outcome { get; set; }

    /// <summary>Items of this call the receiver got: all when it succeeded, <see cref="BatchSendException.ItemsDelivered"/> when it failed.</summary>
    public int DeliveredCount { get; set; }

    public Exception? Error { get; set; }
}

/// <summary>
/// Records every call (a copy of the batch, the fake time, the token, how it ended) and succeeds. Subclasses decide
/// how a call ends by overriding <see cref="SendCoreAsync"/>. Nothing here asserts: an assertion thrown inside the
/// sink would only look like a sink failure to the batcher, so tests assert on the record afterwards.
/// </summary>
public class RecordingSink<T> : IBatchSink<T>
{
    private readonly TimeProvider _clock;
    private readonly List<SinkCall<T>> _calls = [];
    private int _concurrent;
    private int _maxConcurrent;
    private int _finished;
    private long _itemsSeen;

    public RecordingSink(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    public int CallCount
    {
        get
        {
            lock (_calls)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>Calls that have returned (successfully or not).</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Largest number of calls that were inside the sink at the same time.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    /// <summary>Calls inside the sink now.</summary>
    public int Concurrent => Volatile.Read(ref _concurrent);

    /// <summary>Items handed to the sink, over all calls (retries included).</summary>
    public long ItemsSeen => Interlocked.Read(ref _itemsSeen);

    public IReadOnlyList<SinkCall<T>> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every item the receiver got, in the order of the calls.</summary>
    public List<T> DeliveredItems()
    {
        var items = new List<T>();
        foreach (var call in Calls)
        {
            items.AddRange(call.Items.AsSpan(0, call.DeliveredCount));
        }

        return items;
    }

    /// <summary>Every item of successful calls only, in the order of the calls.</summary>
    public IReadOnlyList<SinkCall<T>> SucceededCalls => Calls.Where(c => c.Outcome == CallOutcome.Succeeded).ToList();

    public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
    {
        MemoryMarshal.TryGetArray(batch, out var segment);
        SinkCall<T> call;
        lock (_calls)
        {
            call = new SinkCall<T>
            {
                Index = _calls.Count,
                Items = batch.ToArray(),
                At = _clock.GetUtcNow(),
                Token = cancellationToken,
                UnderlyingArray = segment.Array,
            };
            OnRecorded(call);
            _calls.Add(call);
        }

        Interlocked.Add(ref _itemsSeen, batch.Length);
        var now = Interlocked.Increment(ref _concurrent);
        int max;
        while (now > (max = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, max) != max)
        {
        }

        ValueTask inner;
        try
        {
            inner = SendCoreAsync(call, cancellationToken);
        }
        catch (Exception ex)
        {
            // A sink that throws synchronously instead of returning a faulted task: the batcher must cope with both.
            Finish(call, ex);
            throw;
        }

        if (inner.IsCompletedSuccessfully)
        {
            Finish(call, null);
            return default;
        }

        return AwaitAsync(call, inner);
    }

    /// <summary>Decides how a call ends. The default succeeds at once.</summary>
    protected virtual ValueTask SendCoreAsync(SinkCall<T> sinkCall, CancellationToken cancellationToken) => default;

    /// <summary>Called under the record's lock before the call is added.</summary>
    protected virtual void OnRecorded(SinkCall<T> sinkCall)
    {
    }

    private async ValueTask AwaitAsync(SinkCall<T> call, ValueTask inner)
    {
        try
        {
            await inner;
        }
        catch (Exception ex)
        {
            Finish(call, ex);
            throw;
        }

        Finish(call, null);
    }

    private void Finish(SinkCall<T> call, Exception? error)
    {
        lock (_calls)
        {
            call.Error = error;
            call.Outcome = error is null ? CallOutcome.Succeeded : CallOutcome.Failed;
            call.DeliveredCount = error is null ? call.Items.Length : Math.Clamp((error as BatchSendException)?.ItemsDelivered ?? 0, 0, call.Items.Length);
        }

        Interlocked.Decrement(ref _concurrent);
        Interlocked.Increment(ref _finished);
    }
}

/// <summary>
/// Every call waits for a gate (a <see cref="TaskCompletionSource"/>) that the test opens. Until then the batch stays in
/// flight. By default the wait ignores the batcher's token (a hung receiver); with <see cref="HonourCancellation"/>
/// it ends with <see cref="OperationCanceledException"/> when the token is signalled.
/// </summary>
public sealed class BlockingSink<T> : RecordingSink<T>
{
    // Continuations run inline on Open(): when Open returns, the batcher has usually seen the completion already.
    private readonly TaskCompletionSource _gate = new();

    public BlockingSink(TimeProvider? clock = null)
        : base(clock)
    {
    }

    public bool HonourCancellation { get; init; }

    public bool IsOpen => _gate.Task.IsCompleted;

    /// <summary>Lets every waiting and every later call through.</summary>
    public void Open() => _gate.TrySetResult();

    protected override async ValueTask SendCoreAsync(SinkCall<T> sinkCall, CancellationToken cancellationToken)
    {
        if (HonourCancellation)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }
        else
        {
            await _gate.Task;
        }
    }
}

/// <summary>A sink whose every call is decided by a script: return an exception to fail the call with it, null to succeed.</summary>
public sealed class ScriptedSink<T> : RecordingSink<T>
    where T : notnull
{
    private readonly Func<SinkCall<T>, Exception?> _script;
    private readonly Dictionary<T, int> _attempts = [];

    public ScriptedSink(TimeProvider? clock, Func<SinkCall<T>, Exception?> script)
        : base(clock)
    {
        _script = script;
    }

    /// <summary>Throw from <c>SendAsync</c> itself instead of returning a faulted task.</summary>
    public bool ThrowSynchronously { get; init; }

    protected override void OnRecorded(SinkCall<T> sinkCall)
    {
        if (sinkCall.Items.Length > 0)
        {
            _attempts.TryGetValue(sinkCall.Items[0], out var previous);
            _attempts[sinkCall.Items[0]] = sinkCall.Attempt = previous + 1;
        }
    }

    protected override ValueTask SendCoreAsync(SinkCall<T> sinkCall, CancellationToken cancellationToken)
    {
        var error = _script(sinkCall);
        if (error is null)
        {
            return default;
        }

        if (ThrowSynchronously)
        {
            throw error;
        }

        return ValueTask.FromException(error);
    }
}

/// <summary>Ready-made scripts.</summary>
public static class ScriptedSink
{
    /// <summary>A sink that fails every call with the exception made by <paramref name="error"/>.</summary>
    public static ScriptedSink<T> AlwaysFailing<T>(TimeProvider? clock, Func<Exception> error)
        where T : notnull => new(clock, _ => error());

    /// <summary>A sink that fails the first <paramref name="failures"/> attempts of every batch (batches told apart by their first item).</summary>
    public static ScriptedSink<T> FailingFirstAttempts<T>(TimeProvider? clock, int failures, Func<Exception>? error = null)
        where T : notnull => new(clock, call => call.Attempt <= failures ? (error ?? (() => new InvalidOperationException("transient")))() : null);
}

/// <summary>Counts and does nothing else: the cheapest sink there is (for the allocation and throughput tests).</summary>
public sealed class CountingSink<T> : IBatchSink<T>
{
    private long _items;
    private long _batches;
    private int _maxLength;

    public long Items => Interlocked.Read(ref _items);

    public long Batches => Interlocked.Read(ref _batches);

    public int MaxLength => Volatile.Read(ref _maxLength);

    public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
    {
        if (batch.Length > Volatile.Read(ref _maxLength))
        {
            Volatile.Write(ref _maxLength, batch.Length);
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, batch.Length);
        return default;
    }
}

/// <summary>Collects what <see cref="BatcherOptions.OnBatchFailed"/> reports.</summary>
public sealed class FailureLog
{
    private readonly List<BatchFailure> _failures = [];

    public int Count
    {
        get
        {
            lock (_failures)
            {
                return _failures.Count;
            }
        }
    }

    public IReadOnlyList<BatchFailure> All
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    public long ItemCount => All.Sum(f => (long)f.ItemCount);

    public void Add(BatchFailure failure)
    {
        lock (_failures)
        {
            _failures.Add(failure);
        }
    }
}

/// <summary>An item tagged with its producer and its position in that producer's sequence.</summary>
public readonly record struct Tagged(int Producer, int Sequence);
