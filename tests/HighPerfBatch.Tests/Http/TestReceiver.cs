using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HighPerfBatch.Tests.Http;

/// <summary>One request as the receiver saw it, after decompression and parsing.</summary>
public sealed record ReceivedRequest(
    int Number,
    string Method,
    string? ContentType,
    string? ContentEncoding,
    IReadOnlyDictionary<string, string> Headers,
    long UncompressedBytes,
    long LastItemBytes,
    IReadOnlyList<long> Ids,
    string? Error);

/// <summary>What the receiver answers to one request.</summary>
public sealed record Reply(int Status)
{
    public static readonly Reply Ok = new(200);

    public string? RetryAfter { get; init; }

    public string? Body { get; init; }

    /// <summary>Bytes of filler body to send.</summary>
    public long BodyBytes { get; init; }

    /// <summary>Keep sending body until the client goes away.</summary>
    public bool EndlessBody { get; init; }

    /// <summary>Abort the connection instead of answering.</summary>
    public bool Reset { get; init; }

    /// <summary>Never answer (until the client goes away).</summary>
    public bool Hang { get; init; }
}

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a random port) that decodes gzip/brotli bodies, parses NDJSON or JSON
/// arrays strictly, records every request and answers what <see cref="Respond"/> says.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly List<long> _delivered = [];
    private int _count;
    private long _endlessBytesSent;

    private TestReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Decides each answer; by default 200, or 400 for a body that does not parse.</summary>
    public Func<ReceivedRequest, Reply> Respond { get; set; } = r => r.Error is null ? Reply.Ok : new Reply(400) { Body = r.Error };

    public IReadOnlyCollection<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>Ids of the requests answered 2xx, in the order they arrived.</summary>
    public IReadOnlyList<long> DeliveredIds
    {
        get
        {
            lock (_delivered)
            {
                return _delivered.ToArray();
            }
        }
    }

    public long EndlessBytesSent => Interlocked.Read(ref _endlessBytesSent);

    /// <summary>Starts a receiver; <paramref name="maxRequestBodySize"/> makes Kestrel itself answer 413 to larger bodies, before reading them whole.</summary>
    public static async Task<TestReceiver> StartAsync(Func<ReceivedRequest, Reply>? respond = null, long? maxRequestBodySize = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = maxRequestBodySize;
        });
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        if (respond is not null)
        {
            receiver.Respond = respond;
        }

        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri(new Uri(address), "/ingest?tenant=t1");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        int number = Interlocked.Increment(ref _count);
        var request = context.Request;
        string? encoding = request.Headers.ContentEncoding.FirstOrDefault();
        using var body = new MemoryStream();
        try
        {
            Stream source = encoding switch
            {
                "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
                "br" => new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
                _ => request.Body,
            };
            await using (source)
            {
                await source.CopyToAsync(body, context.RequestAborted);
            }
        }
        catch (BadHttpRequestException ex)
        {
            context.Response.StatusCode = ex.StatusCode; // Kestrel's own limits: 413 for a body above MaxRequestBodySize
            return;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (IOException)
        {
            return; // the client went away mid-body
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (ids, lastItemBytes, error) = Parse(body.GetBuffer().AsMemory(0, (int)body.Length), request.ContentType);
        var received = new ReceivedRequest(number, request.Method, request.ContentType, encoding, headers, body.Length, lastItemBytes, ids, error);
        _requests.Enqueue(received);

        var reply = Respond(received);
        if (reply.Reset)
        {
            context.Abort();
            return;
        }

        if (reply.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        if (reply.Status is >= 200 and <= 299)
        {
            lock (_delivered)
            {
                _delivered.AddRange(ids);
            }
        }

        try
        {
            if (reply.Body is not null)
            {
                await context.Response.WriteAsync(reply.Body, context.RequestAborted);
            }

            if (reply.BodyBytes > 0 || reply.EndlessBody)
            {
                var chunk = Encoding.ASCII.GetBytes(new string('x', 16 * 1024));
                long limit = reply.EndlessBody ? 1L << 30 : reply.BodyBytes;
                for (long sent = 0; sent < limit; sent += chunk.Length)
                {
                    int size = (int)Math.Min(chunk.Length, limit - sent);
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
                    if (reply.EndlessBody)
                    {
                        Interlocked.Add(ref _endlessBytesSent, size);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static (IReadOnlyList<long> Ids, long LastItemBytes, string? Error) Parse(ReadOnlyMemory<byte> body, string? contentType)
    {
        var ids = new List<long>();
        try
        {
            if (contentType is not null && contentType.StartsWith("application/json", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(body);
                long last = 0;
                int index = 0;
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    ids.Add(item.GetProperty("id").GetInt64());
                    last = Encoding.UTF8.GetByteCount(item.GetRawText()) + (index++ > 0 ? 1 : 0);
                }

                return (ids, last, null);
            }

            var span = body.Span;
            if (span.Length > 0 && span[^1] != (byte)'\n')
            {
                return (ids, 0, "NDJSON body does not end with a newline");
            }

            long lastLine = 0;
            while (span.Length > 0)
            {
                int end = span.IndexOf((byte)'\n');
                var line = span[..end];
                var reader = new Utf8JsonReader(line);
                using var document = JsonDocument.ParseValue(ref reader);
                if (reader.BytesConsumed != line.Length)
                {
                    return (ids, 0, "trailing bytes after a JSON value");
                }

                ids.Add(document.RootElement.GetProperty("id").GetInt64());
                lastLine = end + 1;
                span = span[(end + 1)..];
            }

            return (ids, lastLine, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return (ids, 0, "invalid JSON: " + ex.Message);
        }
    }
}
