namespace HighPerfBatch;

/// <summary>
/// The batcher that dependency injection creates: a plain <see cref="Batcher{T}"/> whose unset
/// <see cref="BatcherOptions.MaxBatchSize"/> and <see cref="BatcherOptions.FlushInterval"/> take the <c>[Batched]</c>
/// defaults of <typeparamref name="T"/>, read through <see cref="IBatchable{TSelf}"/> with no reflection (the same
/// defaults as the generated <c>{Name}Batcher</c>).
/// </summary>
internal sealed class DefaultedBatcher<T> : Batcher<T>
    where T : IBatchable<T>
{
    public DefaultedBatcher(IBatchSink<T> sink, BatcherOptions? options)
        : base(sink, options, T.DefaultMaxBatchSize, T.DefaultFlushInterval)
    {
    }
}
