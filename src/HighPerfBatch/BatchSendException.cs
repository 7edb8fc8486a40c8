namespace HighPerfBatch;

/// <summary>
/// Thrown by an <see cref="IBatchSink{T}"/> to tell the batcher more about a failed send than a plain exception can:
/// whether retrying can help, how long the receiver asked to wait, and how many leading items were delivered anyway.
/// </summary>
public class BatchSendException : Exception
{
    /// <summary>Creates a transient error with no retry hint.</summary>
    public BatchSendException()
    {
    }

    /// <summary>Creates a transient error with no retry hint.</summary>
    public BatchSendException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a transient error with no retry hint.</summary>
    public BatchSendException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error.</summary>
    /// <param name="message">What went wrong (never include secrets such as header values).</param>
    /// <param name="isPermanent">True when retrying the same batch can never succeed.</param>
    /// <param name="retryAfter">The delay the receiver asked for, or <see langword="null"/>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BatchSendException(string message, bool isPermanent, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsPermanent = isPermanent;
        RetryAfter = retryAfter;
    }

    /// <summary>True when retrying can never succeed: the batch is given up at once.</summary>
    public bool IsPermanent { get; init; }

    /// <summary>The delay the receiver asked for before the next attempt (honoured up to <see cref="BatcherOptions.MaxRetryDelay"/>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// How many items at the start of the batch were delivered before the failure (a sink that splits a batch into
    /// several requests sets it). The batcher counts them as delivered and retries only the rest.
    /// </summary>
    public int ItemsDelivered { get; init; }
}
