namespace HighPerfBatch.Tests.Engine;

public class DisposeTests
{
    [Fact]
    public async Task After_DisposeAsync_TryAdd_returns_false_and_counts_the_item_rejected()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        Assert.True(batcher.TryAdd(1));

        await Wait.DisposeWithinAsync(batcher);

        Assert.False(batcher.TryAdd(2));
        Assert.False(batcher.TryAdd(3));
        var stats = batcher.Statistics;
        Assert.Equal(1, stats.Accepted);
        Assert.Equal(2, stats.Rejected);
        Assert.Equal(new[] { 1 }, sink.DeliveredItems());
        Invariants.AssertAccountedFor(stats);
    }

    [Fact]
    public async Task After_DisposeAsync_AddAsync_throws_ObjectDisposedException()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        await Wait.DisposeWithinAsync(batcher);

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await batcher.AddAsync(1));
        Assert.Equal(0, batcher.Statistics.Accepted);
        Assert.Equal(0, sink.CallCount);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task DisposeAsync_stops_accepting_at_once_sends_everything_buffered_and_waits_for_in_flight_sends()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 35; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        var dispose = batcher.DisposeAsync().AsTask();

        Assert.False(batcher.TryAdd(100));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await batcher.AddAsync(101));
        Assert.False(dispose.IsCompleted, "DisposeAsync returned while a batch was still in the sink.");

        sink.Open();
        await Wait.WithinAsync(dispose, "DisposeAsync after the sink was opened");

        var stats = batcher.Statistics;
        Assert.Equal(35, stats.Accepted);
        Assert.Equal(35, stats.Delivered);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(0, stats.Buffered);
        Assert.Equal(0, stats.InFlight);
        Assert.True(stats.Rejected >= 1);
        Assert.Equal(Invariants.Range(0, 35), sink.DeliveredItems());
        Invariants.AssertBatchesWellFormed(sink, 10);
        Invariants.AssertAccountedFor(stats);
    }

    [Fact]
    public async Task DisposeAsync_returns_within_ShutdownTimeout_when_the_sink_hangs_and_counts_the_rest_failed()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock); // never opened before the timeout, ignores the token
        var failures = new FailureLog();
        var timeout = TimeSpan.FromSeconds(10);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.ShutdownTimeout = timeout;
            o.OnBatchFailed = failures.Add;
        }));
        for (var i = 0; i < 15; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        var disposeStart = clock.GetUtcNow();
        var dispose = batcher.DisposeAsync().AsTask();

        await clock.RunUntilAsync(() => dispose.IsCompleted, "DisposeAsync to give up on the hung sink", notAfter: disposeStart + timeout);
        await dispose;

        var stats = batcher.Statistics;
        Assert.Equal(15, stats.Accepted);
        Assert.Equal(0, stats.Delivered);
        Assert.Equal(15, stats.Failed);
        Invariants.AssertAccountedFor(stats);
        Assert.Equal(15, failures.ItemCount);
        Assert.All(failures.All, f => Assert.Equal(typeof(int), f.ItemType));
        Assert.All(failures.All, f => Assert.Equal(BatchFailureReason.Shutdown, f.Reason));

        // The hung send finishing after DisposeAsync returned must not be counted a second time.
        sink.Open();
        await Wait.UntilAsync(() => sink.Finished == sink.CallCount, "the released sink calls to return");
        var later = batcher.Statistics;
        Assert.Equal(
            (stats.Accepted, stats.Delivered, stats.Failed, stats.Dropped, stats.BatchesSent, stats.BatchesFailed),
            (later.Accepted, later.Delivered, later.Failed, later.Dropped, later.BatchesSent, later.BatchesFailed));
    }

    [Fact]
    public async Task Batches_given_up_at_shutdown_report_how_many_times_the_sink_was_called()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock); // hangs, ignores the token
        var failures = new FailureLog();
        var timeout = TimeSpan.FromSeconds(10);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.ShutdownTimeout = timeout;
            o.OnBatchFailed = failures.Add;
        }));
        for (var i = 0; i < 15; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        var disposeStart = clock.GetUtcNow();
        var dispose = batcher.DisposeAsync().AsTask();
        await clock.RunUntilAsync(() => dispose.IsCompleted, "DisposeAsync to give up", notAfter: disposeStart + timeout);
        await dispose;

        // BatchFailure.Attempts is "how many times the sink was called for this batch": once for the batch stuck in
        // the sink, never for the one still queued (whose Exception is null: it was never attempted).
        var hung = Assert.Single(failures.All, f => f.ItemCount == 10);
        Assert.Equal(BatchFailureReason.Shutdown, hung.Reason);
        Assert.Equal(1, hung.Attempts);
        var queued = Assert.Single(failures.All, f => f.ItemCount == 5);
        Assert.Equal(BatchFailureReason.Shutdown, queued.Reason);
        Assert.Equal(0, queued.Attempts);
        Assert.Null(queued.Exception);
        Invariants.AssertAccountedFor(batcher.Statistics);
        sink.Open();
    }

    [Fact]
    public async Task DisposeAsync_signals_the_sinks_token_when_ShutdownTimeout_passes()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock) { HonourCancellation = true };
        var failures = new FailureLog();
        var timeout = TimeSpan.FromSeconds(5);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.ShutdownTimeout = timeout;
            o.OnBatchFailed = failures.Add;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the batch to reach the sink");
        var disposeStart = clock.GetUtcNow();
        var dispose = batcher.DisposeAsync().AsTask();
        await clock.RunUntilAsync(() => dispose.IsCompleted, "DisposeAsync to cancel the send", notAfter: disposeStart + timeout);
        await dispose;

        Assert.True(sink.Calls[0].Token.IsCancellationRequested);
        var stats = batcher.Statistics;
        Assert.Equal(10, stats.Failed);
        Assert.Equal(1, stats.BatchesFailed);
        Invariants.AssertAccountedFor(stats);
        var failure = Assert.Single(failures.All);
        Assert.Equal(BatchFailureReason.Shutdown, failure.Reason);
        Assert.Equal(10, failure.ItemCount);
    }

    [Fact]
    public async Task DisposeAsync_returns_within_ShutdownTimeout_while_a_batch_waits_to_retry()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => new InvalidOperationException("down"));
        var timeout = TimeSpan.FromSeconds(10);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxRetries = 10;
            o.RetryBaseDelay = TimeSpan.FromMinutes(1);
            o.MaxRetryDelay = TimeSpan.FromMinutes(1);
            o.ShutdownTimeout = timeout;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.Finished == 1, "the first attempt to fail");
        await clock.WaitForArmedTimerAsync("the backoff timer");
        var timersBefore = clock.ArmedTimerCount;
        var disposeStart = clock.GetUtcNow();
        var dispose = batcher.DisposeAsync().AsTask();

        // Fake time stands still until the engine has armed its shutdown deadline, so only the deadline decides.
        await Wait.UntilAsync(() => dispose.IsCompleted || clock.ArmedTimerCount > timersBefore, "the shutdown deadline to be armed");
        await clock.RunUntilAsync(() => dispose.IsCompleted, "DisposeAsync to give up on the retrying batch", notAfter: disposeStart + timeout);
        await dispose;

        var stats = batcher.Statistics;
        Assert.Equal(10, stats.Failed);
        Assert.Equal(0, stats.Delivered);
        Assert.Equal(0, stats.InFlight);
        Invariants.AssertAccountedFor(stats);
    }

    [Fact]
    public async Task ShutdownTimeout_counts_from_the_DisposeAsync_call_even_when_fake_time_moves_at_once()
    {
        // The way most tests drive a fake clock: call DisposeAsync, advance past the timeout, await.
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var timeout = TimeSpan.FromSeconds(10);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.ShutdownTimeout = timeout));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the batch to reach the sink");
        var dispose = batcher.DisposeAsync().AsTask();
        clock.Advance(timeout + TimeSpan.FromMilliseconds(1));

        await Wait.WithinAsync(dispose, "DisposeAsync after fake time passed its ShutdownTimeout");
        Assert.Equal(10, batcher.Statistics.Failed);
        Invariants.AssertAccountedFor(batcher.Statistics);
        sink.Open();
    }

    [Fact]
    public async Task DisposeAsync_twice_is_harmless()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.DisposeWithinAsync(batcher);
        var after = batcher.Statistics;
        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(after, batcher.Statistics);
        Assert.Single(sink.Calls);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Concurrent_DisposeAsync_calls_all_return_after_the_drain()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 15; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        var first = batcher.DisposeAsync().AsTask();
        var second = batcher.DisposeAsync().AsTask();
        Assert.False(second.IsCompleted, "A second DisposeAsync returned before the drain finished.");

        sink.Open();
        await Wait.WithinAsync(Task.WhenAll(first, second), "both DisposeAsync calls");

        Assert.Equal(15, batcher.Statistics.Delivered);
        Assert.Equal(Invariants.Range(0, 15), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task AddAsync_waiting_for_room_when_DisposeAsync_starts_leaves_its_item_accounted_for()
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.Capacity = 10));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(batcher.TryAdd(i));
            if (i == 9)
            {
                await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
            }
        }

        var waiting = batcher.AddAsync(20).AsTask();
        Assert.False(waiting.IsCompleted, "AddAsync did not wait although the batcher was full.");

        var dispose = batcher.DisposeAsync().AsTask();
        sink.Open();
        await Wait.WithinAsync(dispose, "DisposeAsync");
        var added = await Record.ExceptionAsync(() => waiting.WaitAsync(TestClock.RealTimeout));

        var stats = batcher.Statistics;
        if (added is null)
        {
            Assert.Equal(21, stats.Accepted);
            Assert.Contains(20, sink.DeliveredItems());
        }
        else
        {
            Assert.IsType<ObjectDisposedException>(added);
            Assert.Equal(20, stats.Accepted);
            Assert.DoesNotContain(20, sink.DeliveredItems());
        }

        Assert.Equal(stats.Accepted, stats.Delivered);
        Invariants.AssertAccountedFor(stats);
    }
}
