namespace HighPerfBatch;

/// <summary>Why a batch was given up.</summary>
public enum BatchFailureReason
{
    /// <summary>The sink kept failing and <see cref="BatcherOptions.MaxRetries"/> retries were used up.</summary>
    RetriesExhausted = 0,

    /// <summary>The sink reported an error that retrying cannot fix (<see cref="BatchSendException.IsPermanent"/>).</summary>
    Permanent = 1,

    /// <summary><see cref="BatcherOptions.ShutdownTimeout"/> passed before the batch could be delivered.</summary>
    Shutdown = 2,
}

/// <summary>A batch that a <see cref="Batcher{T}"/> gave up on, handed to <see cref="BatcherOptions.OnBatchFailed"/>.</summary>
public sealed class BatchFailure
{
    /// <summary>Creates a failure report.</summary>
    public BatchFailure(Type itemType, int itemCount, BatchFailureReason reason, int attempts, Exception? exception)
    {
        ItemType = itemType;
        ItemCount = itemCount;
        Reason = reason;
        Attempts = attempts;
        Exception = exception;
    }

    /// <summary>The event type of the batcher.</summary>
    public Type ItemType { get; }

    /// <summary>How many items were given up (each is counted in <see cref="BatcherStatistics.Failed"/>).</summary>
    public int ItemCount { get; }

    /// <summary>Why they were given up.</summary>
    public BatchFailureReason Reason { get; }

    /// <summary>How many times the sink was called for this batch.</summary>
    public int Attempts { get; }

    /// <summary>The last error of the sink, or <see langword="null"/> when the batch was never attempted.</summary>
    public Exception? Exception { get; }
}
