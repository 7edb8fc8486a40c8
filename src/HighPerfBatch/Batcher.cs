namespace HighPerfBatch;

/// <summary>STUB - the engine lands in the next commit.</summary>
public class Batcher<T> : IAsyncDisposable
{
    /// <summary>Creates a batcher.</summary>
    public Batcher(IBatchSink<T> sink, BatcherOptions? options = null)
        : this(sink, options, null, null)
    {
    }

    /// <summary>Creates a batcher whose unset MaxBatchSize / FlushInterval take the given defaults.</summary>
    protected Batcher(IBatchSink<T> sink, BatcherOptions? options, int? defaultMaxBatchSize, TimeSpan? defaultFlushInterval)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Options = (options ?? new BatcherOptions()).ValidatedCopy(defaultMaxBatchSize, defaultFlushInterval);
    }

    /// <summary>The validated copy of the options.</summary>
    public BatcherOptions Options { get; }

    /// <summary>Counters.</summary>
    public BatcherStatistics Statistics => default;

    /// <summary>Adds an item.</summary>
    public bool TryAdd(in T item) => false;

    /// <summary>Adds an item.</summary>
    public ValueTask AddAsync(T item, CancellationToken cancellationToken = default) => default;

    /// <summary>Flushes.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;

    /// <summary>Disposes.</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }
}
