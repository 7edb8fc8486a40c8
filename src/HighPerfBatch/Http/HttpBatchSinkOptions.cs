namespace HighPerfBatch;

/// <summary>STUB - settings of an <see cref="HttpBatchSink{T}"/>; completed by the HTTP issue.</summary>
public sealed class HttpBatchSinkOptions
{
    /// <summary>How request bodies are compressed.</summary>
    public BatchCompression Compression { get; set; } = BatchCompression.None;

    /// <summary>Bound of one request, from sending the headers to reading the response.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
