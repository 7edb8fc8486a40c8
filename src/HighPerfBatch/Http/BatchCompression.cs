namespace HighPerfBatch;

/// <summary>How an <see cref="HttpBatchSink{T}"/> compresses request bodies.</summary>
public enum BatchCompression
{
    /// <summary>No compression.</summary>
    None = 0,

    /// <summary><c>Content-Encoding: gzip</c>.</summary>
    Gzip = 1,

    /// <summary><c>Content-Encoding: br</c> (not accepted by every receiver: ClickHouse 18.16 refuses it).</summary>
    Brotli = 2,
}
