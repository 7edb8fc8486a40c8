using System.IO.Compression;

namespace HighPerfBatch;

/// <summary>
/// Settings of an <see cref="HttpBatchSink{T}"/>. A plain class with settable properties so that it binds from
/// configuration; the sink validates and copies it at construction, so later changes have no effect on the sink.
/// </summary>
public sealed class HttpBatchSinkOptions
{
    /// <summary>Default <see cref="MaxRequestBytes"/>: 4 MiB of uncompressed body.</summary>
    public const long DefaultMaxRequestBytes = 4L * 1024 * 1024;

    /// <summary>Default <see cref="RequestTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    // Headers the sink writes itself: a user value would contradict the body it streams.
    private static readonly string[] s_reservedHeaders = ["Content-Length", "Transfer-Encoding", "Content-Encoding"];

    /// <summary>How request bodies are compressed. ClickHouse 18.16 accepts gzip, not brotli.</summary>
    public BatchCompression Compression { get; set; } = BatchCompression.None;

    /// <summary>The compression level when <see cref="Compression"/> is not <see cref="BatchCompression.None"/>. Defaults to <see cref="System.IO.Compression.CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>
    /// Bound of one request, from sending the headers to reading the response (and the first bytes of an error body).
    /// Positive, or <see cref="Timeout.InfiniteTimeSpan"/>. A request that passes it is a transient failure.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>The HTTP method of every request. Defaults to <see cref="HttpMethod.Post"/>.</summary>
    public HttpMethod Method { get; set; } = HttpMethod.Post;

    /// <summary>
    /// Extra headers sent with every request (an API key, a tenant). A content header such as <c>Content-Type</c>
    /// replaces the sink's own; <c>Content-Length</c>, <c>Transfer-Encoding</c> and <c>Content-Encoding</c> are the
    /// sink's and refused. Values never appear in errors or logs.
    /// </summary>
#pragma warning disable CA2227 // Settable so that a whole dictionary can be assigned or bound from configuration; the sink copies it.
    public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
#pragma warning restore CA2227

    /// <summary>
    /// Byte budget of one request body before compression. A batch whose body would pass it is cut at an item
    /// boundary and the rest goes in the next request, so a body passes the budget by at most one item (each
    /// request carries at least one item). At least 1; defaults to <see cref="DefaultMaxRequestBytes"/>.
    /// </summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>
    /// Optional decision about a response that overrides the built-in rules (2xx delivered; 408, 429 and 5xx other
    /// than 501 and 505 transient; 413 split; the rest permanent). Return <see cref="HttpResponseOutcome.Default"/>
    /// to keep the built-in rule. <see cref="ClickHouse.ResponseClassifier"/> is one.
    /// When set, it is also called for 2xx responses, with the first bytes of their body.
    /// </summary>
    public HttpResponseClassifier? ResponseClassifier { get; set; }

    /// <summary>The clock that turns an HTTP-date <c>Retry-After</c> into a delay. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentNullException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Compression is not (BatchCompression.None or BatchCompression.Gzip or BatchCompression.Brotli))
        {
            throw OutOfRange(nameof(Compression), Compression, "must be None, Gzip or Brotli");
        }

        if (!Enum.IsDefined(CompressionLevel))
        {
            throw OutOfRange(nameof(CompressionLevel), CompressionLevel, "must be a defined CompressionLevel");
        }

        if (RequestTimeout != Timeout.InfiniteTimeSpan
            && (RequestTimeout <= TimeSpan.Zero || RequestTimeout.TotalMilliseconds > int.MaxValue))
        {
            throw OutOfRange(nameof(RequestTimeout), RequestTimeout, "must be positive and at most 24.20:31:23.647, or Timeout.InfiniteTimeSpan");
        }

        if (Method is null)
        {
            throw new ArgumentNullException(nameof(Method), "HttpBatchSinkOptions.Method must not be null.");
        }

        if (MaxRequestBytes < 1)
        {
            throw OutOfRange(nameof(MaxRequestBytes), MaxRequestBytes, "must be at least 1");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "HttpBatchSinkOptions.TimeProvider must not be null.");
        }

        if (Headers is null)
        {
            throw new ArgumentNullException(nameof(Headers), "HttpBatchSinkOptions.Headers must not be null.");
        }

        foreach (var (name, value) in Headers)
        {
            // Messages name the header, never its value: it may be a secret.
            if (string.IsNullOrWhiteSpace(name) || !IsToken(name))
            {
                throw new ArgumentOutOfRangeException(nameof(Headers), "HttpBatchSinkOptions.Headers holds a header whose name is not a valid HTTP token.");
            }

            if (Array.Exists(s_reservedHeaders, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw InvalidHeader(name, "must not be set: the sink writes it");
            }

            if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw InvalidHeader(name, "must be a non-null value without CR, LF or NUL");
            }
        }
    }

    /// <summary>Returns a validated copy that owns its own copy of <see cref="Headers"/>.</summary>
    internal HttpBatchSinkOptions ValidatedCopy()
    {
        Validate();
        var copy = (HttpBatchSinkOptions)MemberwiseClone();
        copy.Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        return copy;
    }

    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            bool ok = c is > ' ' and < '\x7f' && "\"(),/:;<=>?@[\\]{}".IndexOf(c, StringComparison.Ordinal) < 0;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An error about one header that names it, never its value (it may be a secret).</summary>
    internal static ArgumentOutOfRangeException InvalidHeader(string name, string rule)
#pragma warning disable CA2208 // The exception names the option, as every option error does.
        => new(nameof(Headers), $"HttpBatchSinkOptions.Headers['{name}'] {rule}.");
#pragma warning restore CA2208

    private static ArgumentOutOfRangeException OutOfRange(string option, object value, string rule)
        => new(option, value, $"HttpBatchSinkOptions.{option} {rule}; it was {value}.");
}
