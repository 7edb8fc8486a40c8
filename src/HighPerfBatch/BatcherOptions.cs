using Microsoft.Extensions.Logging;

namespace HighPerfBatch;

/// <summary>
/// Settings of a <see cref="Batcher{T}"/>. A plain class with settable properties so that it binds from configuration;
/// the batcher validates and copies it at construction, so later changes to this instance have no effect on it.
/// </summary>
public sealed class BatcherOptions
{
    /// <summary>Default <see cref="MaxBatchSize"/>: 1,000 items.</summary>
    public const int DefaultMaxBatchSize = 1000;

    /// <summary>Default <see cref="Capacity"/>: 100,000 items.</summary>
    public const int DefaultCapacity = 100_000;

    /// <summary>Default <see cref="MaxConcurrentSends"/>: 4 batches in flight.</summary>
    public const int DefaultMaxConcurrentSends = 4;

    /// <summary>Default <see cref="MaxRetries"/>: 5 retries per batch.</summary>
    public const int DefaultMaxRetries = 5;

    /// <summary>Largest accepted <see cref="MaxBatchSize"/>.</summary>
    public const int MaxBatchSizeLimit = 1 << 20;

    /// <summary>Largest accepted <see cref="MaxConcurrentSends"/>.</summary>
    public const int MaxConcurrentSendsLimit = 1024;

    /// <summary>Default <see cref="FlushInterval"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="ShutdownTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="RetryBaseDelay"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Default <see cref="MaxRetryDelay"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(30);

    // Nullable backing fields remember which settings were given, so that the defaults of a [Batched] attribute apply
    // only to the settings the user left alone.
    private int? _maxBatchSize;
    private TimeSpan? _flushInterval;

    /// <summary>A batch is sent as soon as it holds this many items. Between 1 and <see cref="MaxBatchSizeLimit"/>.</summary>
    public int MaxBatchSize
    {
        get => _maxBatchSize ?? DefaultMaxBatchSize;
        set => _maxBatchSize = value;
    }

    /// <summary>A batch is sent when its first item has waited this long, full or not. Positive.</summary>
    public TimeSpan FlushInterval
    {
        get => _flushInterval ?? DefaultFlushInterval;
        set => _flushInterval = value;
    }

    /// <summary>
    /// Most items buffered, that is accepted and not yet handed to the sink. At least <see cref="MaxBatchSize"/>.
    /// </summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>What happens to a new item when <see cref="Capacity"/> items are buffered.</summary>
    public BatchFullMode FullMode { get; set; } = BatchFullMode.Wait;

    /// <summary>Most batches in flight (handed to the sink and not yet completed) at once. Between 1 and <see cref="MaxConcurrentSendsLimit"/>.</summary>
    public int MaxConcurrentSends { get; set; } = DefaultMaxConcurrentSends;

    /// <summary>Times a failed batch is retried before it is given up (0: never retried).</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>Base of the exponential backoff between retries (full jitter: a random delay up to base × 2^attempt).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = DefaultRetryBaseDelay;

    /// <summary>Upper bound of one backoff delay, and of a receiver's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = DefaultMaxRetryDelay;

    /// <summary>How long <see cref="Batcher{T}.DisposeAsync"/> may take to send what is buffered; what is left then counts as failed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;

    /// <summary>The clock of flush intervals, backoff and the shutdown timeout. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Optional logger for failed batches, drops and retries.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// Optional callback invoked once for every batch that is given up (retries exhausted, permanent error, shutdown).
    /// It runs on the send loop: keep it short, and do not throw (an exception it throws is logged and ignored).
    /// </summary>
    public Action<BatchFailure>? OnBatchFailed { get; set; }

    /// <summary>True when <see cref="MaxBatchSize"/> was set explicitly.</summary>
    internal bool IsMaxBatchSizeSet => _maxBatchSize.HasValue;

    /// <summary>True when <see cref="FlushInterval"/> was set explicitly.</summary>
    internal bool IsFlushIntervalSet => _flushInterval.HasValue;

    /// <summary>
    /// Returns a validated copy in which <see cref="MaxBatchSize"/> and <see cref="FlushInterval"/> take the given
    /// defaults when they were not set on this instance.
    /// </summary>
    internal BatcherOptions ValidatedCopy(int? defaultMaxBatchSize = null, TimeSpan? defaultFlushInterval = null)
    {
        var copy = (BatcherOptions)MemberwiseClone();
        if (!IsMaxBatchSizeSet && defaultMaxBatchSize is { } size)
        {
            copy._maxBatchSize = size;
        }

        if (!IsFlushIntervalSet && defaultFlushInterval is { } interval)
        {
            copy._flushInterval = interval;
        }

        copy.Validate();
        return copy;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentNullException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            throw OutOfRange(nameof(MaxBatchSize), MaxBatchSize, $"must be between 1 and {MaxBatchSizeLimit}");
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval.TotalMilliseconds > int.MaxValue)
        {
            throw OutOfRange(nameof(FlushInterval), FlushInterval, "must be positive and at most 24.20:31:23.647");
        }

        if (Capacity < MaxBatchSize)
        {
            throw OutOfRange(nameof(Capacity), Capacity, $"must be at least MaxBatchSize ({MaxBatchSize})");
        }

        if (FullMode is not (BatchFullMode.Wait or BatchFullMode.DropWrite or BatchFullMode.DropOldest))
        {
            throw OutOfRange(nameof(FullMode), FullMode, "must be Wait, DropWrite or DropOldest");
        }

        if (MaxConcurrentSends is < 1 or > MaxConcurrentSendsLimit)
        {
            throw OutOfRange(nameof(MaxConcurrentSends), MaxConcurrentSends, $"must be between 1 and {MaxConcurrentSendsLimit}");
        }

        if (MaxRetries < 0)
        {
            throw OutOfRange(nameof(MaxRetries), MaxRetries, "must not be negative");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay.TotalMilliseconds > int.MaxValue)
        {
            throw OutOfRange(nameof(RetryBaseDelay), RetryBaseDelay, "must not be negative and at most 24.20:31:23.647");
        }

        if (MaxRetryDelay < RetryBaseDelay || MaxRetryDelay.TotalMilliseconds > int.MaxValue)
        {
            throw OutOfRange(nameof(MaxRetryDelay), MaxRetryDelay, $"must be at least RetryBaseDelay ({RetryBaseDelay}) and at most 24.20:31:23.647");
        }

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw OutOfRange(nameof(ShutdownTimeout), ShutdownTimeout, "must not be negative and at most 24.20:31:23.647");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "BatcherOptions.TimeProvider must not be null.");
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string option, object value, string rule)
        => new(option, value, $"BatcherOptions.{option} {rule}; it was {value}.");
}
