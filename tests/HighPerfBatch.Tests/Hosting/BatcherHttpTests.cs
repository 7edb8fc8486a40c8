using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace HighPerfBatch.Tests.Hosting;

public class BatcherHttpTests
{
    [Fact]
    public async Task ToHttp_registers_a_named_client_configured_by_the_delegate()
    {
        var services = new ServiceCollection();
        var builder = services.AddBatcher<HostedEvent>();
        builder.ToHttp(new Uri("http://127.0.0.1:9/ingest"), http => http.DefaultRequestHeaders.Add("X-Key", "secret"));
        await using var provider = services.BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(builder.Name);

        Assert.Equal("secret", Assert.Single(client.DefaultRequestHeaders.GetValues("X-Key")));
        var factoryOptions = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(builder.Name);
        Assert.Equal(Timeout.InfiniteTimeSpan, factoryOptions.HandlerLifetime); // the singleton keeps its client
    }

    [Fact]
    public void ToHttp_refuses_a_relative_endpoint()
    {
        var builder = new ServiceCollection().AddBatcher<HostedEvent>();

        var ex = Assert.Throws<ArgumentException>(() => builder.ToHttp(new Uri("/ingest", UriKind.Relative)));

        Assert.Equal("endpoint", ex.ParamName);
    }

    [Fact]
    public async Task Batches_go_through_the_named_client_and_the_handlers_added_to_it()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var endpoint = new Uri(receiver.Address, "/ingest?table=events");
        var seen = new ConcurrentQueue<Uri?>();
        var host = HostingTestHost.CreateBuilder();
        host.Services.AddBatcher<HostedEvent>(o => o.FlushInterval = TimeSpan.FromHours(1))
            .ToHttp(endpoint, http => http.DefaultRequestHeaders.Add("X-Key", "secret"))
            .AddHttpMessageHandler(() => new RecordingHandler(seen));
        using var app = host.Build();
        await app.StartAsync();
        var batcher = app.Services.GetRequiredService<Batcher<HostedEvent>>();

        batcher.TryAdd(new HostedEvent(1, "first"));
        batcher.TryAdd(new HostedEvent(2, "second"));
        await app.StopAsync();

        Assert.Equal(endpoint, Assert.Single(seen));
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/ingest?table=events", request.PathAndQuery);
        Assert.Equal("secret", request.Headers["X-Key"]);
        Assert.StartsWith("application/x-ndjson", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("{\"id\":1,\"name\":\"first\"}\n{\"id\":2,\"name\":\"second\"}\n", request.Body);
    }

    private sealed class RecordingHandler(ConcurrentQueue<Uri?> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue(request.RequestUri);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
