namespace HighPerfBatch.Tests.Engine;

public class FlushAsyncTests
{
    [Fact]
    public void FlushAsync_completes_synchronously_when_nothing_was_ever_added()
    {
        var clock = new TestClock();
        var batcher = new Batcher<int>(new RecordingSink<int>(clock), TestOptions.Create(clock));

        var flush = batcher.FlushAsync().AsTask();

        Assert.True(flush.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task FlushAsync_completes_immediately_when_everything_is_already_delivered()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics is { Delivered: 10, InFlight: 0, Buffered: 0 }, "the batch to be delivered and settled");
        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "the first FlushAsync");

        var flush = batcher.FlushAsync().AsTask();

        Assert.True(flush.IsCompletedSuccessfully);
        Assert.Equal(1, sink.CallCount);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task FlushAsync_completes_only_once_everything_accepted_before_it_is_delivered()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.MaxConcurrentSends = 2));
        for (var i = 0; i < 25; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 2, "both full batches to reach the sink");
        var flush = batcher.FlushAsync().AsTask();
        Assert.False(flush.IsCompleted, "FlushAsync completed while two batches were still in the sink.");

        sink.Open();
        await Wait.WithinAsync(flush, "FlushAsync after the sink was opened");

        var stats = batcher.Statistics;
        Assert.Equal(25, stats.Delivered);
        Assert.Equal(0, stats.Buffered);
        Assert.Equal(Invariants.Range(0, 25), sink.DeliveredItems().Order());
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task FlushAsync_waits_for_retries_until_the_batch_is_delivered()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 2);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        Assert.True(batcher.TryAdd(1));
        Assert.True(batcher.TryAdd(2));

        var flush = batcher.FlushAsync().AsTask();
        await clock.RunUntilAsync(() => flush.IsCompleted, "FlushAsync to complete while the batch is retried");
        await flush;

        Assert.Equal(2, batcher.Statistics.Delivered);
        Assert.Equal(2, batcher.Statistics.Retries);
        Assert.Equal(3, sink.CallCount);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task FlushAsync_completes_when_the_batch_fails_and_it_is_counted_failed()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => new BatchSendException("rejected", isPermanent: true));
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync with a failing sink");

        Assert.Equal(3, batcher.Statistics.Failed);
        Assert.Equal(0, batcher.Statistics.Delivered);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Concurrent_FlushAsync_callers_all_complete_after_delivery()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 15; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        var flushes = Enumerable.Range(0, 4).Select(_ => batcher.FlushAsync().AsTask()).ToArray();
        await Wait.UntilAsync(() => sink.CallCount >= 1, "the first batch to reach the sink");
        Assert.DoesNotContain(flushes, f => f.IsCompleted);

        sink.Open();
        await Wait.WithinAsync(Task.WhenAll(flushes), "all FlushAsync calls");

        Assert.Equal(15, batcher.Statistics.Delivered);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Cancelling_FlushAsync_stops_the_wait_but_the_items_are_still_sent()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        using var cts = new CancellationTokenSource();
        var flush = batcher.FlushAsync(cts.Token).AsTask();
        await Wait.UntilAsync(() => sink.CallCount == 1, "the flushed batch to reach the sink");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush.WaitAsync(TestClock.RealTimeout));
        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(0, 5), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task FlushAsync_does_not_send_an_empty_batch()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync after a size flush");
        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync with nothing pending");
        await Wait.DisposeWithinAsync(batcher);

        Assert.Single(sink.Calls);
        Invariants.AssertBatchesWellFormed(sink, 10);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }
}
