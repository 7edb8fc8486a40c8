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
}
