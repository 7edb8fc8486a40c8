namespace HighPerfBatch.Tests.Engine;

public class FlushTriggerTests
{
    [Fact]
    public async Task Sends_a_batch_as_soon_as_it_holds_MaxBatchSize_items_without_time_passing()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 10, "the full batch to be delivered");

        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        var call = Assert.Single(sink.Calls);
        Assert.Equal(Invariants.Range(0, 10), call.Items);
        Assert.Equal(1, batcher.Statistics.BatchesSent);

        await Wait.DisposeWithinAsync(batcher);
        Assert.Single(sink.Calls);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Size_trigger_sends_only_full_batches_and_leaves_the_remainder_buffered()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        for (var i = 0; i < 25; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 20, "two full batches to be delivered");
        await Wait.UntilAsync(() => batcher.Statistics.Buffered == 5, "the remainder to be counted as buffered");
        Assert.Equal(2, sink.CallCount);
        Assert.Equal(Invariants.Range(0, 20), sink.DeliveredItems());

        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, 25), sink.DeliveredItems());
        Assert.Equal(5, sink.Calls[^1].Items.Length);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Flushes_when_interval_elapses_after_first_item_and_not_before()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var interval = TimeSpan.FromMilliseconds(200);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.FlushInterval = interval));

        Assert.True(batcher.TryAdd(1));
        await clock.WaitForArmedTimerAsync("the age timer of the first item");

        clock.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, sink.CallCount);

        // Had the batch gone out early, this item would land in a second batch.
        Assert.True(batcher.TryAdd(2));
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 2, "the aged batch to be delivered");
        var call = Assert.Single(sink.Calls);
        Assert.Equal(new[] { 1, 2 }, call.Items);
        Assert.Equal(interval, call.At - clock.Start);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Flushes_when_fake_time_passes_the_interval_right_after_the_first_item()
    {
        // The way most tests drive a fake clock: add, advance at once, expect the send.
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var interval = TimeSpan.FromMilliseconds(200);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.FlushInterval = interval));

        Assert.True(batcher.TryAdd(1));
        clock.Advance(interval);

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 1, "the aged batch to be delivered");
        Assert.Equal(new[] { 1 }, Assert.Single(sink.Calls).Items);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Interval_is_counted_from_each_batchs_first_item_not_from_a_free_running_tick()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var interval = TimeSpan.FromSeconds(1);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.FlushInterval = interval));

        Assert.True(batcher.TryAdd(1));
        await clock.WaitForArmedTimerAsync("the age timer of the first batch");
        clock.Advance(interval);
        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 1, "the first batch to be delivered");

        // Half an interval later a new batch starts; a free-running tick would send it after another half interval.
        clock.Advance(interval / 2);
        var secondStart = clock.GetUtcNow();
        Assert.True(batcher.TryAdd(2));
        await clock.WaitForArmedTimerAsync("the age timer of the second batch");
        clock.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.True(batcher.TryAdd(3));
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 3, "the second batch to be delivered");
        Assert.Equal(2, sink.CallCount);
        Assert.Equal(new[] { 2, 3 }, sink.Calls[1].Items);
        Assert.Equal(secondStart + interval, sink.Calls[1].At);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task FlushAsync_sends_a_partial_batch_without_time_passing()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        Assert.True(batcher.TryAdd(1));
        Assert.True(batcher.TryAdd(2));
        Assert.True(batcher.TryAdd(3));
        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync");

        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.Equal(new[] { 1, 2, 3 }, Assert.Single(sink.Calls).Items);
        Assert.Equal(3, batcher.Statistics.Delivered);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DisposeAsync_sends_a_partial_batch_without_time_passing()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        for (var i = 0; i < 5; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.Equal(Invariants.Range(0, 5), Assert.Single(sink.Calls).Items);
        Assert.Equal(5, batcher.Statistics.Delivered);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task No_empty_batch_is_sent_when_time_passes_with_nothing_added()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.FlushInterval = TimeSpan.FromMilliseconds(100)));

        for (var i = 0; i < 100; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        // One real batch: had an empty one been sent while idle, it would have been recorded before this one.
        Assert.True(batcher.TryAdd(7));
        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync");
        Assert.Equal(new[] { 7 }, Assert.Single(sink.Calls).Items);

        // After the batch went out, time passing must not produce empty batches either.
        for (var i = 0; i < 100; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync with nothing pending");
        await Wait.DisposeWithinAsync(batcher);

        Assert.Single(sink.Calls);
        Invariants.AssertBatchesWellFormed(sink, 10);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task No_empty_batch_is_sent_after_a_size_flush_when_the_interval_passes()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.FlushInterval = TimeSpan.FromSeconds(1)));

        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 10, "the full batch to be delivered");
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await Wait.DisposeWithinAsync(batcher);

        Assert.Single(sink.Calls);
        Invariants.AssertBatchesWellFormed(sink, 10);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task An_idle_batcher_keeps_no_periodic_timer_armed()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.FlushInterval = TimeSpan.FromMilliseconds(100)));

        Assert.True(batcher.TryAdd(1));
        await clock.RunUntilAsync(() => batcher.Statistics.Delivered == 1, "the aged batch to be delivered");

        Assert.Equal(0, clock.ArmedPeriodicTimerCount);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Disposing_an_idle_batcher_sends_nothing()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync");
        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(0, sink.CallCount);
        Assert.Equal(default(BatcherStatistics), batcher.Statistics);
    }
}
