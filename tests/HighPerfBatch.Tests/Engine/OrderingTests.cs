namespace HighPerfBatch.Tests.Engine;

public class OrderingTests
{
    [Fact]
    public async Task With_one_send_at_a_time_batches_reach_the_sink_in_accepted_order()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = 7;
            o.Capacity = 10_000;
            o.MaxConcurrentSends = 1;
            o.MaxRetries = 0;
        }));

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(Invariants.Range(0, 1000), sink.DeliveredItems());
        var calls = sink.Calls;
        Assert.All(calls.Take(calls.Count - 1), c => Assert.Equal(7, c.Items.Length));
        Assert.Equal(1000 % 7, calls[^1].Items.Length);
        Assert.Equal(1, sink.MaxConcurrent);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task With_one_send_at_a_time_batches_queued_behind_a_slow_send_keep_their_order()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.MaxConcurrentSends = 1));

        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        for (var i = 10; i < 95; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.WithinAsync(Task.Run(() => sink.Open()), "opening the sink");
        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(Invariants.Range(0, 95), sink.DeliveredItems());
        Invariants.AssertBatchesWellFormed(sink, 10);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public async Task The_memory_handed_to_the_sink_is_an_array_slice_of_at_most_MaxBatchSize_items(int maxBatchSize)
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = maxBatchSize;
            o.Capacity = 10_000;
            o.MaxConcurrentSends = 2;
        }));

        for (var i = 0; i < 500; i++)
        {
            Assert.True(batcher.TryAdd(i));
            if (i % 97 == 0)
            {
                await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync");
            }
        }

        await Wait.DisposeWithinAsync(batcher);

        Invariants.AssertBatchesWellFormed(sink, maxBatchSize);
        Assert.All(sink.Calls, c => Assert.NotNull(c.UnderlyingArray));
        Assert.Equal(Invariants.Range(0, 500), sink.DeliveredItems().Order());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Segments_holding_references_are_cleared_after_the_send()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<string>(clock);
        var batcher = new Batcher<string>(sink, TestOptions.Create(clock));

        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd($"item {i}"));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 10, "the batch to be delivered");
        var array = Assert.Single(sink.Calls).UnderlyingArray;
        Assert.NotNull(array);
        await Wait.UntilAsync(() => array.Take(10).All(s => s is null), "the sent segment to be cleared");

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Sent_segments_are_reused_rather_than_allocated_per_batch()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        for (var batch = 0; batch < 50; batch++)
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True(batcher.TryAdd((batch * 10) + i));
            }

            var delivered = (batch + 1) * 10;
            await Wait.UntilAsync(() => batcher.Statistics.Delivered == delivered, $"batch {batch} to be delivered");
        }

        await Wait.DisposeWithinAsync(batcher);

        var distinctArrays = sink.Calls.Select(c => c.UnderlyingArray).Distinct(ReferenceEqualityComparer.Instance).Count();
        Assert.True(distinctArrays < 25, $"50 batches used {distinctArrays} different arrays: segments are not returned to the pool.");
        Invariants.AssertAccountedFor(batcher.Statistics);
    }
}
