namespace HighPerfBatch;

/// <summary>
/// The scalar settings of <see cref="BatcherOptions"/> that configuration may set. Binding goes through this type, not
/// <see cref="BatcherOptions"/> itself, so that <see cref="BatcherOptions.TimeProvider"/>, <see cref="BatcherOptions.Logger"/>
/// and <see cref="BatcherOptions.OnBatchFailed"/> can never come from configuration, and so that a setting the section
/// leaves out stays unset (a <c>[Batched]</c> default then applies to it).
/// </summary>
internal sealed class BatcherSettings
{
    public int? MaxBatchSize { get; set; }

    public TimeSpan? FlushInterval { get; set; }

    public int? Capacity { get; set; }

    public BatchFullMode? FullMode { get; set; }

    public int? MaxConcurrentSends { get; set; }

    public int? MaxRetries { get; set; }

    public TimeSpan? RetryBaseDelay { get; set; }

    public TimeSpan? MaxRetryDelay { get; set; }

    public TimeSpan? ShutdownTimeout { get; set; }

    /// <summary>Copies the settings that were given onto <paramref name="options"/>.</summary>
    public void ApplyTo(BatcherOptions options)
    {
        if (MaxBatchSize is { } maxBatchSize)
        {
            options.MaxBatchSize = maxBatchSize;
        }

        if (FlushInterval is { } flushInterval)
        {
            options.FlushInterval = flushInterval;
        }

        if (Capacity is { } capacity)
        {
            options.Capacity = capacity;
        }

        if (FullMode is { } fullMode)
        {
            options.FullMode = fullMode;
        }

        if (MaxConcurrentSends is { } maxConcurrentSends)
        {
            options.MaxConcurrentSends = maxConcurrentSends;
        }

        if (MaxRetries is { } maxRetries)
        {
            options.MaxRetries = maxRetries;
        }

        if (RetryBaseDelay is { } retryBaseDelay)
        {
            options.RetryBaseDelay = retryBaseDelay;
        }

        if (MaxRetryDelay is { } maxRetryDelay)
        {
            options.MaxRetryDelay = maxRetryDelay;
        }

        if (ShutdownTimeout is { } shutdownTimeout)
        {
            options.ShutdownTimeout = shutdownTimeout;
        }
    }
}
