namespace HighPerfBatch;

/// <summary>
/// Receives batches from a <see cref="Batcher{T}"/> and delivers them somewhere (an HTTP endpoint, a file, a test).
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// The memory handed to <see cref="SendAsync"/> belongs to the batcher: it is valid until the returned task completes,
/// then it is cleared and returned to the pool. A sink must not keep a reference to it.
/// A sink signals failure by throwing. <see cref="BatchSendException"/> lets it say that the error is permanent, that the
/// receiver asked for a delay (<c>Retry-After</c>), or that a prefix of the batch was delivered before the failure;
/// any other exception is treated as transient and retried.
/// </remarks>
public interface IBatchSink<T>
{
    /// <summary>Delivers one batch. Completes when the receiver has acknowledged it; throws when it could not.</summary>
    /// <param name="batch">The items, in the order they were accepted.</param>
    /// <param name="cancellationToken">Signalled when the batcher gives up on the send (shutdown timeout).</param>
    ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken);
}
