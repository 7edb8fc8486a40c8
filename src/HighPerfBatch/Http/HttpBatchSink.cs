namespace HighPerfBatch;

/// <summary>STUB - sends each batch as one HTTP request; completed by the HTTP issue.</summary>
public sealed class HttpBatchSink<T> : IBatchSink<T>
{
    /// <summary>Creates a sink that posts batches to <paramref name="endpoint"/> with the given client, which it never disposes.</summary>
    public HttpBatchSink(HttpClient httpClient, Uri endpoint, IBatchSerializer<T> serializer, HttpBatchSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(serializer);
        _ = options;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
        => throw new NotImplementedException();
}
