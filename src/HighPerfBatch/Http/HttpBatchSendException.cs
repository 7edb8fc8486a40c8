using System.Net;

namespace HighPerfBatch;

/// <summary>
/// A failed request of an <see cref="HttpBatchSink{T}"/>: an error response (<see cref="StatusCode"/> and the first
/// bytes of its body), a timeout or a connection failure (no status code). Never carries request header values.
/// </summary>
public class HttpBatchSendException : BatchSendException
{
    /// <summary>Most bytes of an error body that the sink reads: the rest is never read, whatever its size.</summary>
    public const int MaxBodyExcerptBytes = 4096;

    /// <summary>Creates a transient error with no status code.</summary>
    public HttpBatchSendException()
    {
    }

    /// <summary>Creates a transient error with no status code.</summary>
    public HttpBatchSendException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a transient error with no status code.</summary>
    public HttpBatchSendException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="isPermanent">True when retrying the same items can never succeed.</param>
    /// <param name="statusCode">The status code of the response, or <see langword="null"/> when there was none.</param>
    /// <param name="responseBodyExcerpt">The first bytes of the response body, or <see langword="null"/>.</param>
    /// <param name="retryAfter">The delay the receiver asked for, or <see langword="null"/>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HttpBatchSendException(
        string message,
        bool isPermanent,
        HttpStatusCode? statusCode,
        string? responseBodyExcerpt,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, isPermanent, retryAfter, innerException)
    {
        StatusCode = statusCode;
        ResponseBodyExcerpt = responseBodyExcerpt;
    }

    /// <summary>The status code of the response, or <see langword="null"/> for a timeout or a connection failure.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The first bytes (at most <see cref="MaxBodyExcerptBytes"/>) of the response body decoded as UTF-8, or <see langword="null"/>.</summary>
    public string? ResponseBodyExcerpt { get; }
}
