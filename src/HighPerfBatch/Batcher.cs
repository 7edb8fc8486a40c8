using System.Runtime.CompilerServices;
using HighPerfBatch.Diagnostics;
using HighPerfBatch.Internal;

namespace HighPerfBatch;

/// <summary>
/// Queues items in memory and hands them to an <see cref="IBatchSink{T}"/> in batches: when a batch holds
/// <see cref="BatcherOptions.MaxBatchSize"/> items, when its first item has waited <see cref="BatcherOptions.FlushInterval"/>,
/// on <see cref="FlushAsync"/>, and on <see cref="DisposeAsync"/>.
/// </summary>
/// <typeparam name="T">The event type. A small struct or record struct is cheapest: items are copied once, into the batch.</typeparam>
/// <remarks>
/// <para>Producers write straight into segments rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>: adding an
/// item is one atomic increment and a copy, with no lock and no allocation. A due segment is handed to the sink as it
/// is, then cleared and returned to the pool. Sending runs on the thread pool and sleeps when there is nothing to do.</para>
/// <para>Every accepted item ends up delivered, dropped (<see cref="BatchFullMode.DropOldest"/>) or failed, and is
/// counted in <see cref="Statistics"/>; once <see cref="DisposeAsync"/> has returned,
/// <c>Accepted == Delivered + Dropped + Failed</c>. With <see cref="BatcherOptions.MaxConcurrentSends"/> = 1 and no
/// retries, batches reach the sink in the order their items were accepted.</para>
/// </remarks>
public partial class Batcher<T> : IAsyncDisposable, IBatcherMetricsSource
{
    private readonly IBatchSink<T> _sink;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly long _capacity;
    private readonly BatchFullMode _fullMode;
    private readonly BatcherTelemetry _telemetry;

    // Guards everything below that is not read by the TryAdd fast path. Only segment transitions take it
    // (once per batch), never a single item.
#if NET9_0_OR_GREATER
    // A dedicated Lock: a contended Monitor on a plain object may allocate its lock state lazily, on a producer thread.
    private readonly Lock _gate = new();
#else
    private readonly object _gate = new();
#endif

    // A segment with no slots: the current segment while no new one may be opened (full, or disposing). Claims on it
    // always fail, which sends producers to the slow path without any extra check on the fast path.
    private readonly Segment<T> _closed = new(0);

    // The segment producers fill. Written under _gate, read by producers without it.
    private Segment<T> _current;

    private readonly Queue<Segment<T>> _sealed = new();
    private readonly Stack<Segment<T>> _free = new();
    private long _sealedItems;
    private long _nextSequence;
    private TaskCompletionSource? _room;
    private bool _disposing;

    private long _accepted;
    private long _rejected;
    private long _dropped;
    private long _delivered;
    private long _failed;
    private long _batchesSent;
    private long _batchesFailed;
    private long _retries;

    /// <summary>Creates a batcher that sends to <paramref name="sink"/>.</summary>
    /// <param name="sink">Where batches go.</param>
    /// <param name="options">Settings; validated and copied. <see langword="null"/> means the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    public Batcher(IBatchSink<T> sink, BatcherOptions? options = null)
        : this(sink, options, null, null)
    {
    }

    /// <summary>
    /// Creates a batcher whose <see cref="BatcherOptions.MaxBatchSize"/> and <see cref="BatcherOptions.FlushInterval"/>
    /// take the given defaults when <paramref name="options"/> does not set them (generated batchers pass the values of
    /// their <c>[Batched]</c> attribute).
    /// </summary>
    /// <param name="sink">Where batches go.</param>
    /// <param name="options">Settings; validated and copied. <see langword="null"/> means the defaults.</param>
    /// <param name="defaultMaxBatchSize">Batch size to use when the options leave it unset, or <see langword="null"/>.</param>
    /// <param name="defaultFlushInterval">Flush interval to use when the options leave it unset, or <see langword="null"/>.</param>
    protected Batcher(IBatchSink<T> sink, BatcherOptions? options, int? defaultMaxBatchSize, TimeSpan? defaultFlushInterval)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Options = (options ?? new BatcherOptions()).ValidatedCopy(defaultMaxBatchSize, defaultFlushInterval);
        _sink = sink;
        _time = Options.TimeProvider;
        _batchSize = Options.MaxBatchSize;
        _capacity = Options.Capacity;
        _fullMode = Options.FullMode;
        _flushInterval = Options.FlushInterval;
        _maxRetries = Options.MaxRetries;
        _telemetry = new BatcherTelemetry(typeof(T), Options.Logger, _time);

        _current = new Segment<T>(_batchSize);
        _current.Open();

        _timer = _time.CreateTimer(static state => ((Batcher<T>)state!)._wake.Set(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _workers = new SendWorker[Options.MaxConcurrentSends];
        _idle = new Stack<SendWorker>(_workers.Length);

        // The loops must not capture the creator's ExecutionContext (its Activity, its AsyncLocals) for their lifetime.
        using (ExecutionContext.SuppressFlow())
        {
            for (int i = 0; i < _workers.Length; i++)
            {
                var worker = new SendWorker();
                _workers[i] = worker;
                _idle.Push(worker);
                worker.Loop = Task.Run(() => RunWorkerAsync(worker));
            }

            _loop = Task.Run(RunSendLoopAsync);
        }

        BatcherMetrics.Register(this);
    }

    KeyValuePair<string, object?> IBatcherMetricsSource.EventTypeTag => _telemetry.EventTypeTag;

    /// <summary>The validated copy of the options this batcher runs with.</summary>
    public BatcherOptions Options { get; }

    /// <summary>A snapshot of the counters. See <see cref="BatcherStatistics"/> for what is exact when.</summary>
    public BatcherStatistics Statistics
    {
        get
        {
            // Totals first, the open segment second: a segment sealed in between is then missed for an instant rather
            // than counted twice, so Buffered never reads above Capacity.
            long accepted = Interlocked.Read(ref _accepted);
            long sealedItems = Interlocked.Read(ref _sealedItems);
            long open = Volatile.Read(ref _current).PeekClaimed();
            return new BatcherStatistics
            {
                Accepted = accepted + open,
                Rejected = Interlocked.Read(ref _rejected),
                Dropped = Interlocked.Read(ref _dropped),
                Delivered = Interlocked.Read(ref _delivered),
                Failed = Interlocked.Read(ref _failed),
                BatchesSent = Interlocked.Read(ref _batchesSent),
                BatchesFailed = Interlocked.Read(ref _batchesFailed),
                Retries = Interlocked.Read(ref _retries),
                Buffered = sealedItems + open,
                InFlight = Volatile.Read(ref _inFlight),
            };
        }
    }

    /// <summary>
    /// Adds an item if there is room. Never blocks and allocates nothing: on the accepting path it is one atomic
    /// increment and a copy of <paramref name="item"/> into the current batch.
    /// </summary>
    /// <param name="item">The item; copied, so the caller may reuse its variable at once.</param>
    /// <returns>
    /// <see langword="true"/> when the item was accepted; <see langword="false"/> when it was refused (the batcher is
    /// full in <see cref="BatchFullMode.Wait"/> or <see cref="BatchFullMode.DropWrite"/> mode, or disposed), in which
    /// case it is counted in <see cref="BatcherStatistics.Rejected"/>.
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(in T item) => TryAddCore(in item, countRejection: true);

    /// <summary>
    /// Adds an item, waiting for room when the batcher is full and <see cref="BatcherOptions.FullMode"/> is
    /// <see cref="BatchFullMode.Wait"/>. Completes synchronously when there is room. In the other modes it never waits:
    /// a refused item is counted in <see cref="BatcherStatistics.Rejected"/>.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Cancels the wait for room; the item is then refused (and counted as rejected).</param>
    /// <exception cref="ObjectDisposedException">The batcher is disposed or being disposed.</exception>
    /// <exception cref="OperationCanceledException">The wait for room was cancelled.</exception>
    public ValueTask AddAsync(T item, CancellationToken cancellationToken = default)
    {
        if (TryAddCore(in item, countRejection: false))
        {
            return default;
        }

        if (Volatile.Read(ref _disposing))
        {
            Interlocked.Increment(ref _rejected);
            return ValueTask.FromException(new ObjectDisposedException(GetType().FullName));
        }

        if (_fullMode != BatchFullMode.Wait)
        {
            Interlocked.Increment(ref _rejected);
            return default;
        }

        return WaitForRoomAsync(item, cancellationToken);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryAddCore(in T item, bool countRejection)
    {
        // Hot path: claim a slot with one atomic increment, write the item in place, publish it. A claim past the
        // segment's limit (full, sealed, or the closed sentinel) falls through to the slow path.
        Segment<T> segment = Volatile.Read(ref _current);
        int index = Interlocked.Increment(ref segment.Reserved) - 1;
        if ((uint)index < (uint)segment.Limit)
        {
            Write(segment, index, in item);
            return true;
        }

        return TryAddSlow(in item, countRejection);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(Segment<T> segment, int index, in T item)
    {
        segment.Slot(index) = item;
        if (index == 0)
        {
            // The batch's age counts from its first item. Stamped before publishing, so that a segment can never be
            // recycled (which waits for every publish) before this write has landed.
            // 0 means "not stamped yet", so a clock that starts at 0 is nudged by a tick.
            Volatile.Write(ref segment.FirstItemTimestamp, Math.Max(_time.GetTimestamp(), 1));
        }

        segment.Publish(index);

        // index == 0 || index == Limit - 1, in one unsigned compare.
        if ((uint)(index - 1) >= (uint)(segment.Limit - 2))
        {
            OnSegmentEdge(segment, index);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnSegmentEdge(Segment<T> segment, int index)
    {
        if (index == segment.Limit - 1)
        {
            // The batch is full: due now. Rotate it out so producers continue in a fresh segment.
            lock (_gate)
            {
                if (ReferenceEquals(_current, segment))
                {
                    SealCurrentLocked();
                    TryOpenSegmentLocked(makeRoom: false);
                }
            }
        }

        // First item (arms the age trigger) or full batch: either way the send loop has something to look at.
        // This is the only signal producers send: once per batch, never per item.
        _wake.Set();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryAddSlow(in T item, bool countRejection)
    {
        while (true)
        {
            // Refusal without the lock: no room for a new segment and nothing is going to change that under us.
            if (ReferenceEquals(Volatile.Read(ref _current), _closed)
                && (Volatile.Read(ref _disposing) || (_fullMode != BatchFullMode.DropOldest && Interlocked.Read(ref _sealedItems) + _batchSize > _capacity)))
            {
                return Refuse(countRejection);
            }

            lock (_gate)
            {
                if (_disposing)
                {
                    return Refuse(countRejection);
                }

                Segment<T> current = _current;
                if (!ReferenceEquals(current, _closed) && Volatile.Read(ref current.Reserved) >= current.Limit)
                {
                    // Full (its last writer has not rotated it yet) or sealed: move it out of the producers' way.
                    SealCurrentLocked();
                }

                if (ReferenceEquals(_current, _closed) && !TryOpenSegmentLocked(makeRoom: true))
                {
                    return Refuse(countRejection);
                }
            }

            Segment<T> segment = Volatile.Read(ref _current);
            int index = Interlocked.Increment(ref segment.Reserved) - 1;
            if ((uint)index < (uint)segment.Limit)
            {
                Write(segment, index, in item);
                return true;
            }
        }
    }

    private bool Refuse(bool countRejection)
    {
        if (countRejection)
        {
            Interlocked.Increment(ref _rejected);
        }

        return false;
    }

    private async ValueTask WaitForRoomAsync(T item, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (_disposing)
                {
                    Interlocked.Increment(ref _rejected);
                    throw new ObjectDisposedException(GetType().FullName);
                }

                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            // Registered first, tried second: room made between the two cannot be missed.
            if (TryAddCore(in item, countRejection: false))
            {
                return;
            }

            try
            {
                await room.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _rejected);
                throw;
            }
        }
    }

    /// <summary>Seals the current segment into the queue (if it holds anything) and leaves the closed sentinel current.</summary>
    private void SealCurrentLocked()
    {
        Segment<T> segment = _current;
        if (ReferenceEquals(segment, _closed))
        {
            return;
        }

        Volatile.Write(ref _current, _closed);
        int count = segment.Seal(_nextSequence);
        if (count == 0)
        {
            ReleaseLocked(segment);
            return;
        }

        _nextSequence++;
        _sealed.Enqueue(segment);
        Interlocked.Add(ref _sealedItems, count);
        Interlocked.Add(ref _accepted, count);
    }

    /// <summary>
    /// Opens a fresh current segment if there is room for a whole batch. Only a producer that holds a new item passes
    /// <paramref name="makeRoom"/>: in DropOldest mode it discards the oldest unsent items, so that nothing is dropped
    /// before an item beyond Capacity actually arrives.
    /// </summary>
    private bool TryOpenSegmentLocked(bool makeRoom)
    {
        if (_disposing)
        {
            return false;
        }

        // Room is reserved a whole batch at a time, so producers never need a global counter: the current segment can
        // take at most _batchSize items, and the queue holds _sealedItems.
        long excess = _sealedItems + _batchSize - _capacity;
        if (excess > 0)
        {
            if (!makeRoom || _fullMode != BatchFullMode.DropOldest)
            {
                return false;
            }

            DropOldestLocked(excess);
        }

        Segment<T> segment = _free.Count > 0 ? _free.Pop() : new Segment<T>(_batchSize);
        segment.Open();
        Volatile.Write(ref _current, segment);
        return true;
    }

    /// <summary>Discards <paramref name="count"/> of the oldest unsent items (<see cref="BatchFullMode.DropOldest"/>).</summary>
    private void DropOldestLocked(long count)
    {
        long dropped = 0;
        while (count > 0 && _sealed.Count > 0)
        {
            Segment<T> oldest = _sealed.Peek();
            int take = (int)Math.Min(count, oldest.Remaining);
            oldest.Start += take;
            count -= take;
            dropped += take;
            if (oldest.Remaining == 0)
            {
                _sealed.Dequeue();
                ReleaseLocked(oldest);
            }
        }

        Interlocked.Add(ref _sealedItems, -dropped);
        Interlocked.Add(ref _dropped, dropped);
        _telemetry.ItemsDropped(dropped);
        CompleteFlushWaitersLocked();
    }

    /// <summary>
    /// Recycles a settled segment into the free list. It keeps its array there: a rent from the shared pool can
    /// allocate when the pool runs dry under churn, and the segments in circulation are bounded anyway (at most
    /// Capacity / MaxBatchSize queued, MaxConcurrentSends in flight, one current). Disposal returns the arrays.
    /// </summary>
    private void ReleaseLocked(Segment<T> segment)
    {
        segment.Recycle(keepArray: !_disposing);
        _free.Push(segment);
    }

    /// <summary>Gives the arrays of idle segments back to the shared pool (at the end of disposal).</summary>
    private void ReturnFreeArraysLocked()
    {
        foreach (Segment<T> segment in _free)
        {
            segment.Recycle(keepArray: false);
        }
    }
}
