using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using HighPerfBatch.Internal;

namespace HighPerfBatch;

/// <summary>
/// Sends batches over HTTP: each request body is serialized item by item by an <see cref="IBatchSerializer{T}"/>
/// straight into a pooled pipe writer over the request stream (gzip or brotli in between when asked), never whole in
/// memory. A batch larger than <see cref="HttpBatchSinkOptions.MaxRequestBytes"/> goes in several requests.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// <para>Outcomes (overridable with <see cref="HttpBatchSinkOptions.ResponseClassifier"/>): 2xx delivered; 408, 429,
/// 5xx (except 501 and 505), connection failures and timeouts transient, honouring <c>Retry-After</c>; 413 splits
/// the items in halves, down to one item; anything else is permanent. Errors are <see cref="HttpBatchSendException"/>s
/// that carry the status code and the first bytes of the body, and, when earlier requests of the same batch were
/// delivered, <see cref="BatchSendException.ItemsDelivered"/>, so that no item is sent twice.</para>
/// <para>The sink uses the <see cref="HttpClient"/> it is given (so handlers and resilience pipelines compose) and
/// never disposes it; the client's own <see cref="HttpClient.Timeout"/> still applies, so keep it above
/// <see cref="HttpBatchSinkOptions.RequestTimeout"/>. It is thread-safe: the batcher may call it for several batches at once.</para>
/// <para>A receiver that answers 413 before reading the body and closes the connection (a server-side body limit)
/// is mostly seen as a connection failure, not as a 413: keep <see cref="HttpBatchSinkOptions.MaxRequestBytes"/>
/// below such a limit.</para>
/// </remarks>
public sealed class HttpBatchSink<T> : IBatchSink<T>
{
    private readonly HttpClient _httpClient;
    private readonly Uri _endpoint;
    private readonly string _endpointForMessages;
    private readonly IBatchSerializer<T> _serializer;
    private readonly HttpBatchSinkOptions _options;
    private readonly KeyValuePair<string, string>[] _requestHeaders;
    private readonly KeyValuePair<string, string>[] _contentHeaders;

    /// <summary>Creates a sink that sends batches to <paramref name="endpoint"/> with the given client, which it never disposes.</summary>
    /// <param name="httpClient">The client of every request.</param>
    /// <param name="endpoint">The absolute URL of every request.</param>
    /// <param name="serializer">Writes the items; gives the <c>Content-Type</c>.</param>
    /// <param name="options">Settings; validated and copied here.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the exception names it).</exception>
    public HttpBatchSink(HttpClient httpClient, Uri endpoint, IBatchSerializer<T> serializer, HttpBatchSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(serializer);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("The endpoint must be an absolute URI.", nameof(endpoint));
        }

        _httpClient = httpClient;
        _endpoint = endpoint;
        _serializer = serializer;
        _options = (options ?? new HttpBatchSinkOptions()).ValidatedCopy();

        // Messages name the endpoint without user info or query string: either may hold a password.
        _endpointForMessages = endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

        var contentHeaders = new List<KeyValuePair<string, string>>();
        if (!_options.Headers.ContainsKey("Content-Type"))
        {
            contentHeaders.Add(new("Content-Type", serializer.ContentType));
        }

        string? encoding = _options.Compression switch
        {
            BatchCompression.Gzip => "gzip",
            BatchCompression.Brotli => "br",
            _ => null,
        };
        if (encoding is not null)
        {
            contentHeaders.Add(new("Content-Encoding", encoding));
        }

        // Sort the user's headers into request and content headers once, so each request only copies strings.
        var requestHeaders = new List<KeyValuePair<string, string>>();
        using (var probe = new HttpRequestMessage())
        using (var probeContent = new ByteArrayContent([]))
        {
            foreach (var header in _options.Headers)
            {
                if (probe.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    requestHeaders.Add(header);
                }
                else if (probeContent.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    contentHeaders.Add(header);
                }
                else
                {
                    throw HttpBatchSinkOptions.InvalidHeader(header.Key, "cannot be sent as a request or content header");
                }
            }
        }

        _requestHeaders = [.. requestHeaders];
        _contentHeaders = [.. contentHeaders];
    }

    /// <summary>The validated copy of the options.</summary>
    public HttpBatchSinkOptions Options => _options;

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
        => batch.IsEmpty ? default : SendBatchAsync(batch, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBatchAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
    {
        int delivered = 0;

        // Sizes of the ranges still to send after a 413 split, next on top. Empty: the next request takes the rest.
        Stack<int>? pending = null;
        while (delivered < batch.Length)
        {
            bool fromSplit = pending is { Count: > 0 };
            int range = fromSplit ? pending!.Pop() : batch.Length - delivered;

            var (written, tooLarge) = await SendRequestAsync(batch.Slice(delivered, range), delivered, cancellationToken).ConfigureAwait(false);
            if (tooLarge)
            {
                // written > 1 here (one item too large is permanent): halve what was sent, then send what follows.
                pending ??= new Stack<int>();
                if (fromSplit && range > written)
                {
                    pending.Push(range - written);
                }

                pending.Push(written - (written / 2));
                pending.Push(written / 2);
                continue;
            }

            delivered += written;
            if (fromSplit && range > written)
            {
                pending!.Push(range - written); // the budget cut this range: its rest goes next
            }
        }
    }

    /// <summary>
    /// Sends one request with a prefix of <paramref name="items"/> (as many as fit the budget); returns how many it
    /// carried and whether the receiver refused them as too large. Any other failure throws, naming
    /// <paramref name="deliveredBefore"/> as the items of the batch delivered so far.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(int Written, bool TooLarge)> SendRequestAsync(ReadOnlyMemory<T> items, int deliveredBefore, CancellationToken cancellationToken)
    {
        var content = new BatchContent<T>(_serializer, items, _options.MaxRequestBytes, _options.Compression, _options.CompressionLevel);
        foreach (var header in _contentHeaders)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var request = new HttpRequestMessage(_options.Method, _endpoint) { Content = content };
        foreach (var header in _requestHeaders)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var timeout = CancellationTokenSourcePool.Rent();
        var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        try
        {
            if (_options.RequestTimeout != Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(_options.RequestTimeout);
            }

            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            var classifier = _options.ResponseClassifier;
            string excerpt = (status is >= 200 and <= 299 && classifier is null) || response.Content.Headers.ContentLength == 0
                ? string.Empty
                : await ReadExcerptAsync(response, timeout.Token).ConfigureAwait(false);

            var outcome = HttpResponseOutcome.Default;
            if (classifier is not null)
            {
                try
                {
                    outcome = classifier(response, excerpt);
                }
                catch (Exception ex)
                {
                    throw new HttpBatchSendException($"The response classifier threw on HTTP {status} from {_endpointForMessages}.", isPermanent: false, response.StatusCode, excerpt, innerException: ex)
                    {
                        ItemsDelivered = deliveredBefore,
                    };
                }
            }

            if (outcome == HttpResponseOutcome.Default)
            {
                outcome = DefaultOutcome(status);
            }

            switch (outcome)
            {
                case HttpResponseOutcome.Delivered:
                    return (content.ItemsWritten, false);
                case HttpResponseOutcome.PayloadTooLarge when content.ItemsWritten > 1:
                    return (content.ItemsWritten, true);
                case HttpResponseOutcome.PayloadTooLarge:
                    throw Failure(response, excerpt, deliveredBefore, isPermanent: true, $"a single item of {content.BytesWritten} bytes is too large for the receiver");
                case HttpResponseOutcome.Transient:
                    throw Failure(response, excerpt, deliveredBefore, isPermanent: false, null);
                default:
                    throw Failure(response, excerpt, deliveredBefore, isPermanent: true, null);
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown, not an error. Items delivered by earlier requests must still be counted as delivered.
            if (deliveredBefore == 0)
            {
                throw new OperationCanceledException(ex.Message, ex, cancellationToken); // the caller's token, not ours
            }

            throw new HttpBatchSendException($"Sending to {_endpointForMessages} was cancelled.", isPermanent: false, statusCode: null, responseBodyExcerpt: null, innerException: ex)
            {
                ItemsDelivered = deliveredBefore,
            };
        }
        catch (OperationCanceledException ex)
        {
            // Our RequestTimeout, or the HttpClient's own Timeout.
            throw new HttpBatchSendException($"The request to {_endpointForMessages} timed out.", isPermanent: false, statusCode: null, responseBodyExcerpt: null, innerException: ex)
            {
                ItemsDelivered = deliveredBefore,
            };
        }
        catch (HttpRequestException ex)
        {
            if (content.SerializerException is { } serializerError)
            {
                throw new HttpBatchSendException($"The serializer of {typeof(T).Name} failed: {serializerError.Message}", isPermanent: true, statusCode: null, responseBodyExcerpt: null, innerException: serializerError)
                {
                    ItemsDelivered = deliveredBefore,
                };
            }

            throw new HttpBatchSendException($"The request to {_endpointForMessages} failed: {ex.Message}", isPermanent: false, statusCode: null, responseBodyExcerpt: null, innerException: ex)
            {
                ItemsDelivered = deliveredBefore,
            };
        }
        finally
        {
            link.Dispose(); // waits for a running cancel callback, so the source is not in use once it returns
            CancellationTokenSourcePool.Return(timeout);
        }
    }

    private HttpBatchSendException Failure(HttpResponseMessage response, string excerpt, int deliveredBefore, bool isPermanent, string? detail)
    {
        int status = (int)response.StatusCode;
        var message = new StringBuilder()
            .Append("HTTP ").Append(status);
        if (!string.IsNullOrEmpty(response.ReasonPhrase))
        {
            message.Append(' ').Append(response.ReasonPhrase);
        }

        message.Append(" from ").Append(_endpointForMessages);
        if (detail is not null)
        {
            message.Append(": ").Append(detail);
        }

        if (excerpt.Length > 0)
        {
            // The message gets the first line (bounded); the property keeps the whole excerpt.
            var firstLine = excerpt.AsSpan();
            int newline = firstLine.IndexOfAny('\r', '\n');
            if (newline >= 0)
            {
                firstLine = firstLine[..newline];
            }

            if (firstLine.Length > 512)
            {
                firstLine = firstLine[..512];
            }

            message.Append(": ").Append(firstLine);
        }

        TimeSpan? retryAfter = isPermanent ? null : RetryAfter(response);
        return new HttpBatchSendException(message.ToString(), isPermanent, response.StatusCode, excerpt, retryAfter)
        {
            ItemsDelivered = deliveredBefore,
        };
    }

    private static HttpResponseOutcome DefaultOutcome(int status) => status switch
    {
        >= 200 and <= 299 => HttpResponseOutcome.Delivered,
        408 or 429 => HttpResponseOutcome.Transient,
        413 => HttpResponseOutcome.PayloadTooLarge,
        501 or 505 => HttpResponseOutcome.Permanent,
        >= 500 and <= 599 => HttpResponseOutcome.Transient,
        _ => HttpResponseOutcome.Permanent,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _options.TimeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// Reads at most <see cref="HttpBatchSendException.MaxBodyExcerptBytes"/> of the body, never more whatever its
    /// size, and decodes them as UTF-8 (a sequence cut at the end is dropped). A body that fails to read gives what
    /// was read.
    /// </summary>
    private static async ValueTask<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HttpBatchSendException.MaxBodyExcerptBytes);
        int length = 0;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (length < HttpBatchSendException.MaxBodyExcerptBytes)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(length, HttpBatchSendException.MaxBodyExcerptBytes - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // Keep what was read: the status code is what matters.
        }

        try
        {
            if (length == 0)
            {
                return string.Empty;
            }

            int complete = length == HttpBatchSendException.MaxBodyExcerptBytes ? CompleteUtf8Length(buffer.AsSpan(0, length)) : length;
            return Encoding.UTF8.GetString(buffer, 0, complete);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The length of <paramref name="bytes"/> without a UTF-8 sequence cut off at its end.</summary>
    private static int CompleteUtf8Length(ReadOnlySpan<byte> bytes)
    {
        int i = bytes.Length - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (bytes[i] & 0xC0) == 0x80)
        {
            i--;
            back++;
        }

        if (i < 0)
        {
            return bytes.Length;
        }

        byte lead = bytes[i];
        int needed = lead switch
        {
            < 0x80 => 1,
            >= 0xF0 => 4,
            >= 0xE0 => 3,
            >= 0xC0 => 2,
            _ => 1,
        };
        return back + 1 >= needed ? bytes.Length : i;
    }
}
