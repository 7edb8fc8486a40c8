using System.Net;
using System.Net.Http.Headers;

namespace HighPerfBatch.Comparison.Contestants;

/// <summary>The HTTP client every contestant uses: one pooled handler, HTTP/1.1, no proxy, no connection limit.</summary>
internal static class Http
{
    public static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    public static HttpClient CreateClient(out RequestCounter counter)
    {
        counter = new RequestCounter(new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        return new HttpClient(counter)
        {
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }
}

/// <summary>Counts requests answered with a success status: one interlocked add per request, the same for everyone.</summary>
internal sealed class RequestCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private long _succeeded;

    public long Succeeded => Volatile.Read(ref _succeeded);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = base.Send(request, cancellationToken);
        Count(response);
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Count(response);
        return response;
    }

    private void Count(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _succeeded);
        }
    }
}
