using HighPerfBatch.Tests.Http;
using Shop.Telemetry;

namespace HighPerfBatch.Tests.Serialization;

public class GeneratedBatcherEndToEndTests
{
    [Fact]
    public async Task Generated_batcher_posts_every_event_as_NDJSON_to_the_endpoint()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var client = new HttpClient();
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));

        await using (var batcher = new ShippedBatcher(client, receiver.Endpoint))
        {
            for (var i = 0; i < 250; i++)
            {
                await batcher.AddAsync(new Shipped(i, "sku-\"" + i + "\"\n", at.AddSeconds(i), i % 3));
            }

            await batcher.FlushAsync();
        }

        Assert.Equal(Enumerable.Range(0, 250).Select(i => (long)i), receiver.DeliveredIds.Order());
        Assert.All(receiver.Requests, r => Assert.StartsWith("application/x-ndjson", r.ContentType, StringComparison.Ordinal));
        Assert.All(receiver.Requests, r => Assert.Null(r.Error));
        Assert.All(receiver.Requests, r => Assert.InRange(r.Ids.Count, 1, 100));
    }

    [Fact]
    public async Task Generated_batcher_with_sink_options_posts_gzip_with_the_configured_headers()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var client = new HttpClient();
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var sinkOptions = new HttpBatchSinkOptions
        {
            Compression = BatchCompression.Gzip,
            Headers = { ["X-Tenant"] = "shop-7" },
        };

        await using (var batcher = new ShippedBatcher(client, receiver.Endpoint, sinkOptions, new BatcherOptions { MaxBatchSize = 50 }))
        {
            for (var i = 0; i < 250; i++)
            {
                await batcher.AddAsync(new Shipped(i, "sku-" + i, at.AddSeconds(i), i % 3));
            }

            await batcher.FlushAsync();
        }

        Assert.Equal(Enumerable.Range(0, 250).Select(i => (long)i), receiver.DeliveredIds.Order());
        Assert.All(receiver.Requests, r => Assert.Equal("gzip", r.ContentEncoding));
        Assert.All(receiver.Requests, r => Assert.Equal("shop-7", r.Headers["X-Tenant"]));
        Assert.All(receiver.Requests, r => Assert.StartsWith("application/x-ndjson", r.ContentType, StringComparison.Ordinal));
        Assert.All(receiver.Requests, r => Assert.Null(r.Error));
        Assert.All(receiver.Requests, r => Assert.InRange(r.Ids.Count, 1, 50)); // the options given still apply
    }
}
