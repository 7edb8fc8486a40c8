namespace HighPerfBatch.Tests.Engine;

/// <summary>
/// Capacity bounds what is buffered (accepted, not yet handed to the sink); batches in the sink do not count.
/// Every test here first puts one batch of 10 (items 0..9) into a blocked sink with one send at a time, then fills
/// the 100 items of Capacity with items 10..109, so that the batch arithmetic is exact.
/// </summary>
public class CapacityTests
{
    private const int BatchSize = 10;
    private const int Capacity = 100;

    [Fact]
    public async Task Batches_in_flight_do_not_count_against_Capacity()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.Wait);

        var stats = batcher.Statistics;
        Assert.Equal(BatchSize + Capacity, stats.Accepted);
        Assert.Equal(0, stats.Rejected);
        Assert.Equal(Capacity, stats.Buffered);
        Assert.Equal(1, stats.InFlight);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Wait_mode_TryAdd_returns_false_and_counts_rejected_when_Capacity_items_are_buffered()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.Wait);

        Assert.False(batcher.TryAdd(1000));
        Assert.False(batcher.TryAdd(1001));

        var stats = batcher.Statistics;
        Assert.Equal(BatchSize + Capacity, stats.Accepted);
        Assert.Equal(2, stats.Rejected);
        Assert.Equal(0, stats.Dropped);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, BatchSize + Capacity), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Wait_mode_AddAsync_waits_while_full_and_completes_when_room_frees()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.Wait);

        var add = batcher.AddAsync(1000).AsTask();
        Assert.False(add.IsCompleted, "AddAsync completed although the batcher was full.");

        sink.Open();
        await Wait.WithinAsync(add, "AddAsync after room freed");
        Assert.Equal(BatchSize + Capacity + 1, batcher.Statistics.Accepted);

        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, BatchSize + Capacity).Append(1000), sink.DeliveredItems());
        Assert.Equal(0, batcher.Statistics.Rejected);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task AddAsync_completes_synchronously_when_there_is_room()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        for (var i = 0; i < 25; i++)
        {
            var add = batcher.AddAsync(i);
            Assert.True(add.IsCompletedSuccessfully, $"AddAsync({i}) did not complete synchronously.");
            await add;
        }

        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, 25), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Cancelling_a_waiting_AddAsync_throws_and_counts_the_item_rejected()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.Wait);
        using var cts = new CancellationTokenSource();

        var add = batcher.AddAsync(1000, cts.Token).AsTask();
        Assert.False(add.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => add.WaitAsync(TestClock.RealTimeout));
        Assert.Equal(1, batcher.Statistics.Rejected);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Assert.DoesNotContain(1000, sink.DeliveredItems());
        Assert.Equal(BatchSize + Capacity, batcher.Statistics.Accepted);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DropWrite_mode_refuses_the_new_item_and_counts_it_rejected()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.DropWrite);

        Assert.False(batcher.TryAdd(1000));
        var add = batcher.AddAsync(1001).AsTask();
        Assert.True(add.IsCompleted, "AddAsync waited in DropWrite mode.");

        var stats = batcher.Statistics;
        Assert.Equal(BatchSize + Capacity, stats.Accepted);
        Assert.Equal(2, stats.Rejected);
        Assert.Equal(0, stats.Dropped);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, BatchSize + Capacity), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DropOldest_mode_accepts_the_new_item_and_discards_the_oldest_unsent_ones()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.DropOldest);

        Assert.True(batcher.TryAdd(110));

        var stats = batcher.Statistics;
        Assert.Equal(BatchSize + Capacity + 1, stats.Accepted);
        Assert.Equal(0, stats.Rejected);
        Assert.InRange(stats.Dropped, 1, BatchSize); // one item, or the oldest whole batch
        Assert.InRange(stats.Buffered, 0, Capacity);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);

        // The batch in the sink is never dropped; the dropped items are exactly the oldest unsent ones; the newest is delivered.
        var dropped = (int)batcher.Statistics.Dropped;
        var expected = Invariants.Range(0, BatchSize).Concat(Enumerable.Range(BatchSize + dropped, Capacity + 1 - dropped));
        Assert.Equal(expected, sink.DeliveredItems());
        Assert.Equal(0, batcher.Statistics.Failed);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DropOldest_mode_never_buffers_more_than_Capacity_and_keeps_the_newest_items()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.DropOldest);

        for (var i = BatchSize + Capacity; i < 5000; i++)
        {
            Assert.True(batcher.TryAdd(i));
            Assert.InRange(batcher.Statistics.Buffered, 0, Capacity);
        }

        var stats = batcher.Statistics;
        Assert.Equal(5000, stats.Accepted);
        Assert.InRange(stats.Dropped, 5000 - BatchSize - Capacity, 5000 - BatchSize - 1);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);

        var dropped = (int)batcher.Statistics.Dropped;
        var expected = Invariants.Range(0, BatchSize).Concat(Enumerable.Range(BatchSize + dropped, 5000 - BatchSize - dropped));
        Assert.Equal(expected, sink.DeliveredItems());
        Invariants.AssertBatchesWellFormed(sink, BatchSize);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DropOldest_mode_drops_nothing_until_an_item_beyond_Capacity_arrives()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = BatchSize;
            o.Capacity = Capacity;
            o.FullMode = BatchFullMode.DropOldest;
        }));
        for (var i = 0; i < BatchSize; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        for (var i = BatchSize; i < BatchSize + Capacity; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        // Full, but no item has needed room yet: the oldest unsent items must still be there.
        var stats = batcher.Statistics;
        Assert.True(stats.Dropped == 0, $"{stats.Dropped} items were dropped although no item beyond Capacity was added: {stats}");
        Assert.Equal(Capacity, stats.Buffered);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, BatchSize + Capacity), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DropOldest_mode_AddAsync_never_waits()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.DropOldest);

        var add = batcher.AddAsync(110);
        Assert.True(add.IsCompletedSuccessfully, "AddAsync waited in DropOldest mode.");
        await add;

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Assert.Contains(110, sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task At_most_MaxConcurrentSends_batches_are_in_flight()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.MaxConcurrentSends = 3));
        for (var i = 0; i < 100; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 3, "three batches to reach the sink");
        await Wait.UntilAsync(() => batcher.Statistics is { InFlight: 3, Buffered: 70 }, "the counters to show 3 in flight and 70 buffered");
        Assert.Equal(3, sink.CallCount);

        sink.Open();
        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(3, sink.MaxConcurrent);
        Assert.Equal(10, sink.CallCount);
        Assert.Equal(Invariants.Range(0, 100), sink.DeliveredItems().Order());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task A_full_batcher_accepts_again_once_the_sink_catches_up()
    {
        var (batcher, sink, _) = await FilledAsync(BatchFullMode.Wait);
        Assert.False(batcher.TryAdd(1000));

        sink.Open();
        await Wait.UntilAsync(() => batcher.Statistics.Buffered < Capacity, "room to free up");

        Assert.True(batcher.TryAdd(1001));
        await Wait.DisposeWithinAsync(batcher);
        Assert.Contains(1001, sink.DeliveredItems());
        Assert.Equal(1, batcher.Statistics.Rejected);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    /// <summary>Items 0..9 in the (blocked) sink, items 10..109 buffered: exactly Capacity.</summary>
    private static async Task<(Batcher<int> Batcher, BlockingSink<int> Sink, TestClock Clock)> FilledAsync(BatchFullMode mode)
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = BatchSize;
            o.Capacity = Capacity;
            o.FullMode = mode;
            o.MaxConcurrentSends = 1;
        }));

        for (var i = 0; i < BatchSize; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        for (var i = BatchSize; i < BatchSize + Capacity; i++)
        {
            Assert.True(batcher.TryAdd(i), $"TryAdd({i}) refused with fewer than Capacity items buffered.");
        }

        // Exactly Capacity items are buffered. (Whether DropOldest may already have dropped here is the subject of
        // DropOldest_mode_drops_nothing_until_an_item_beyond_Capacity_arrives; the other tests hold either way.)
        await Wait.UntilAsync(() => batcher.Statistics.Buffered + batcher.Statistics.Dropped == Capacity, "Capacity items to be buffered");
        if (mode != BatchFullMode.DropOldest)
        {
            Assert.Equal(Capacity, batcher.Statistics.Buffered);
        }

        return (batcher, sink, clock);
    }
}
