namespace HighPerfBatch;

/// <summary>
/// Implemented by the source generator on every <c>[Batched]</c> type, so that generic code (dependency injection, the
/// HTTP sink) finds the type's serializer and defaults with no reflection.
/// </summary>
/// <typeparam name="TSelf">The event type itself.</typeparam>
public interface IBatchable<TSelf> where TSelf : IBatchable<TSelf>
{
    /// <summary>The generated serializer of <typeparamref name="TSelf"/>.</summary>
    static abstract IBatchSerializer<TSelf> BatchSerializer { get; }

    /// <summary>The <c>[Batched(MaxBatchSize = ...)]</c> default, or <see langword="null"/> when the attribute does not set it.</summary>
    static virtual int? DefaultMaxBatchSize => null;

    /// <summary>The <c>[Batched(FlushIntervalMilliseconds = ...)]</c> default, or <see langword="null"/> when the attribute does not set it.</summary>
    static virtual TimeSpan? DefaultFlushInterval => null;
}
