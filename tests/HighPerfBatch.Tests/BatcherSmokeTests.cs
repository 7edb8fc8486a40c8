using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace HighPerfBatch.Tests;

public class BatcherSmokeTests
{
    private sealed class CollectingSink : IBatchSink<long>
    {
        public readonly ConcurrentQueue<long[]> Batches = new();

        public ValueTask SendAsync(ReadOnlyMemory<long> batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue(batch.ToArray());
            return default;
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Yield();
            await Task.Delay(1);
        }
    }

    [Fact]
    public async Task Full_batch_is_sent_without_time_passing()
    {
        var time = new FakeTimeProvider();
        var sink = new CollectingSink();
        await using var batcher = new Batcher<long>(sink, new BatcherOptions { MaxBatchSize = 10, TimeProvider = time });

        for (long i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(in i));
        }

        await Eventually(() => sink.Batches.Count == 1);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), sink.Batches.Single());
    }

    [Fact]
    public async Task Flushes_when_interval_elapses_after_first_item()
    {
        var time = new FakeTimeProvider();
        var sink = new CollectingSink();
        await using var batcher = new Batcher<long>(sink, new BatcherOptions { MaxBatchSize = 10, FlushInterval = TimeSpan.FromSeconds(1), TimeProvider = time });

        long item = 7;
        batcher.TryAdd(in item);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(20);
        Assert.Empty(sink.Batches);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually(() => sink.Batches.Count == 1);
        Assert.Equal([7L], sink.Batches.Single());
    }

    [Fact]
    public async Task Concurrent_producers_deliver_every_item_exactly_once()
    {
        var sink = new CollectingSink();
        var batcher = new Batcher<long>(sink, new BatcherOptions { MaxBatchSize = 1000, Capacity = 1_000_000, FullMode = BatchFullMode.Wait });
        const int perProducer = 250_000;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (long i = 0; i < perProducer; i++)
            {
                await batcher.AddAsync(p * (long)perProducer + i);
            }
        })));
        await batcher.DisposeAsync();

        var all = sink.Batches.SelectMany(b => b).ToArray();
        Assert.Equal(4 * perProducer, all.Length);
        Assert.Equal(4 * perProducer, all.Distinct().Count());
        Assert.All(sink.Batches, b => Assert.InRange(b.Length, 1, 1000));
        var s = batcher.Statistics;
        Assert.Equal(4L * perProducer, s.Accepted);
        Assert.Equal(s.Accepted, s.Delivered + s.Dropped + s.Failed);
    }
}
