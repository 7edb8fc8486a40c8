namespace HighPerfBatch;

/// <summary>
/// A snapshot of a <see cref="Batcher{T}"/>'s counters. Once <see cref="Batcher{T}.DisposeAsync"/> has returned,
/// <c>Accepted == Delivered + Dropped + Failed</c> holds exactly; while the batcher runs the counters are read one
/// after the other, so the sum may lag behind <see cref="Accepted"/> by what is buffered or in flight.
/// </summary>
public readonly record struct BatcherStatistics
{
    /// <summary>Items accepted by <see cref="Batcher{T}.TryAdd"/> or <see cref="Batcher{T}.AddAsync"/>.</summary>
    public long Accepted { get; init; }

    /// <summary>Items refused: the batcher was full (Wait or DropWrite), disposed, or an <c>AddAsync</c> wait was cancelled.</summary>
    public long Rejected { get; init; }

    /// <summary>Accepted items discarded unsent to make room (<see cref="BatchFullMode.DropOldest"/>).</summary>
    public long Dropped { get; init; }

    /// <summary>Accepted items the sink acknowledged.</summary>
    public long Delivered { get; init; }

    /// <summary>Accepted items given up: retries exhausted, a permanent error, or the shutdown timeout.</summary>
    public long Failed { get; init; }

    /// <summary>Batches delivered (each counted once, however many attempts it took).</summary>
    public long BatchesSent { get; init; }

    /// <summary>Batches given up.</summary>
    public long BatchesFailed { get; init; }

    /// <summary>Retry attempts, over all batches.</summary>
    public long Retries { get; init; }

    /// <summary>Items accepted and not yet handed to the sink.</summary>
    public long Buffered { get; init; }

    /// <summary>Batches handed to the sink and not yet completed (including those waiting to retry).</summary>
    public int InFlight { get; init; }
}
