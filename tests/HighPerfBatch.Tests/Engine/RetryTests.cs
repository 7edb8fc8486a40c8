namespace HighPerfBatch.Tests.Engine;

public class RetryTests
{
    [Fact]
    public async Task Transient_errors_are_retried_until_the_batch_is_delivered()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 3);
        var failures = new FailureLog();
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxRetries = 5;
            o.OnBatchFailed = failures.Add;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await clock.RunUntilAsync(() => batcher.Statistics.Delivered == 10, "the batch to be delivered after 3 failures");

        var stats = batcher.Statistics;
        Assert.Equal(3, stats.Retries);
        Assert.Equal(1, stats.BatchesSent);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(0, stats.BatchesFailed);
        Assert.Equal(4, sink.CallCount);
        Assert.All(sink.Calls, c => Assert.Equal(Invariants.Range(0, 10), c.Items));
        Assert.Equal(0, failures.Count);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Backoff_delays_stay_within_the_exponential_bound_and_MaxRetryDelay()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 6);
        var baseDelay = TimeSpan.FromSeconds(1);
        var maxDelay = TimeSpan.FromSeconds(5);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxRetries = 6;
            o.RetryBaseDelay = baseDelay;
            o.MaxRetryDelay = maxDelay;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        // Fake time only moves to the engine's own timers, and never further than the largest delay allowed.
        for (var retry = 1; retry <= 6; retry++)
        {
            var bound = Bound(baseDelay, maxDelay, retry);
            var failedAt = clock.GetUtcNow();
            var expectedCalls = retry + 1;
            await clock.RunUntilAsync(() => sink.CallCount == expectedCalls, $"retry {retry} within {bound}", notAfter: failedAt + bound);
            await Wait.UntilAsync(() => sink.Finished == expectedCalls || batcher.Statistics.Delivered == 10, $"attempt {expectedCalls} to return");
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 10, "the batch to be delivered");
        var calls = sink.Calls;
        for (var retry = 1; retry < calls.Count; retry++)
        {
            var gap = calls[retry].At - calls[retry - 1].At;
            Assert.InRange(gap, TimeSpan.Zero, Bound(baseDelay, maxDelay, retry));
        }

        Assert.Equal(6, batcher.Statistics.Retries);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Backoff_delays_grow_exponentially_with_the_retry_number()
    {
        // Full jitter makes one delay random; the mean over many batches is not: about base * 2^(n-1), or half of
        // base * 2^n, depending on where the count starts. Either way the 4th retry waits 8x the 1st on average.
        const int Batches = 40;
        var clock = new TestClock();
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 4);
        var baseDelay = TimeSpan.FromSeconds(1);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = 1;
            o.Capacity = Batches;
            o.MaxConcurrentSends = 1;
            o.MaxRetries = 4;
            o.RetryBaseDelay = baseDelay;
            o.MaxRetryDelay = TimeSpan.FromMinutes(10);
        }));
        for (var i = 0; i < Batches; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        // Step from one sink call to the next, never moving fake time past the largest delay a retry may take, so
        // that no unrelated timer of the engine can stretch a measured gap.
        var horizon = Bound(baseDelay, TimeSpan.FromMinutes(10), 4);
        while (batcher.Statistics.Delivered < Batches)
        {
            var calls = sink.CallCount;
            await clock.RunUntilAsync(
                () => sink.CallCount > calls || batcher.Statistics.Delivered == Batches,
                $"sink call {calls + 1}",
                notAfter: clock.GetUtcNow() + horizon);
        }

        var gaps = new List<TimeSpan>[5];
        for (var n = 1; n <= 4; n++)
        {
            gaps[n] = [];
        }

        foreach (var perBatch in sink.Calls.GroupBy(c => c.Items[0]))
        {
            var attempts = perBatch.OrderBy(c => c.Index).ToArray();
            Assert.Equal(5, attempts.Length);
            for (var n = 1; n <= 4; n++)
            {
                gaps[n].Add(attempts[n].At - attempts[n - 1].At);
            }
        }

        var mean1 = gaps[1].Average(g => g.TotalMilliseconds);
        var mean4 = gaps[4].Average(g => g.TotalMilliseconds);
        Assert.True(mean4 > 3 * mean1, $"Mean delay before the 4th retry ({mean4} ms) is not well above the 1st ({mean1} ms).");
        Assert.All(gaps[1], g => Assert.InRange(g, TimeSpan.Zero, Bound(baseDelay, TimeSpan.FromMinutes(10), 1)));
        Assert.All(gaps[4], g => Assert.InRange(g, TimeSpan.Zero, Bound(baseDelay, TimeSpan.FromMinutes(10), 4)));
        Assert.Equal(Batches * 4, batcher.Statistics.Retries);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Retry_after_from_the_sink_is_honoured_before_the_next_attempt()
    {
        var clock = new TestClock();
        var retryAfter = TimeSpan.FromSeconds(5);
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 1, () => new BatchSendException("busy") { RetryAfter = retryAfter });
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            o.MaxRetryDelay = TimeSpan.FromSeconds(30);
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.Finished == 1, "the first attempt to fail");
        await clock.WaitForArmedTimerAsync("the retry timer");
        clock.Advance(retryAfter - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, sink.CallCount);

        await clock.RunUntilAsync(() => batcher.Statistics.Delivered == 10, "the retry after Retry-After");

        var calls = sink.Calls;
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= retryAfter, $"Retried after {calls[1].At - calls[0].At}, before the {retryAfter} the sink asked for.");
        Assert.Equal(1, batcher.Statistics.Retries);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Retry_after_longer_than_MaxRetryDelay_is_capped()
    {
        var clock = new TestClock();
        var maxDelay = TimeSpan.FromSeconds(10);
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 1, () => new BatchSendException("busy") { RetryAfter = TimeSpan.FromHours(1) });
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            o.MaxRetryDelay = maxDelay;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.Finished == 1, "the first attempt to fail");
        var failedAt = clock.GetUtcNow();
        await clock.RunUntilAsync(() => batcher.Statistics.Delivered == 10, "the capped retry", notAfter: failedAt + maxDelay);

        Assert.Equal(2, sink.CallCount);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Permanent_error_is_not_retried_and_is_reported_once()
    {
        var clock = new TestClock();
        var error = new BatchSendException("bad request", isPermanent: true);
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => error);
        var failures = new FailureLog();
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxRetries = 5;
            o.OnBatchFailed = failures.Add;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => failures.Count == 1, "the failure to be reported");
        await Wait.DisposeWithinAsync(batcher);

        var failure = Assert.Single(failures.All);
        Assert.Equal(BatchFailureReason.Permanent, failure.Reason);
        Assert.Equal(10, failure.ItemCount);
        Assert.Equal(1, failure.Attempts);
        Assert.Same(error, failure.Exception);
        Assert.Equal(typeof(int), failure.ItemType);
        Assert.Equal(1, sink.CallCount);
        var stats = batcher.Statistics;
        Assert.Equal(10, stats.Failed);
        Assert.Equal(1, stats.BatchesFailed);
        Assert.Equal(0, stats.Retries);
        Assert.Equal(0, stats.Delivered);
        Invariants.AssertAccountedFor(stats);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Batch_is_given_up_after_MaxRetries_plus_one_attempts(int maxRetries)
    {
        var clock = new TestClock();
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => new InvalidOperationException("down"));
        var failures = new FailureLog();
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxRetries = maxRetries;
            o.OnBatchFailed = failures.Add;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await clock.RunUntilAsync(() => failures.Count == 1, "the batch to be given up");
        await Wait.DisposeWithinAsync(batcher);

        var failure = Assert.Single(failures.All);
        Assert.Equal(BatchFailureReason.RetriesExhausted, failure.Reason);
        Assert.Equal(maxRetries + 1, failure.Attempts);
        Assert.Equal(10, failure.ItemCount);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Equal(maxRetries + 1, sink.CallCount);
        var stats = batcher.Statistics;
        Assert.Equal(maxRetries, stats.Retries);
        Assert.Equal(10, stats.Failed);
        Assert.Equal(1, stats.BatchesFailed);
        Assert.Equal(0, stats.BatchesSent);
        Invariants.AssertAccountedFor(stats);
    }

    [Fact]
    public async Task Delivered_prefix_is_counted_delivered_and_only_the_rest_is_retried()
    {
        var clock = new TestClock();
        var sink = new ScriptedSink<int>(clock, call => call.Index == 0 ? new BatchSendException("split failed") { ItemsDelivered = 4 } : null);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await clock.RunUntilAsync(() => batcher.Statistics.Delivered == 10, "the rest of the batch to be delivered");

        var calls = sink.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(Invariants.Range(0, 10), calls[0].Items);
        Assert.Equal(Invariants.Range(4, 6), calls[1].Items);
        Assert.Equal(Invariants.Range(0, 10), sink.DeliveredItems());
        var stats = batcher.Statistics;
        Assert.Equal(1, stats.Retries);
        Assert.Equal(0, stats.Failed);

        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Delivered_prefix_of_a_permanently_failed_batch_counts_delivered_and_only_the_rest_failed()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => new BatchSendException("too large", isPermanent: true) { ItemsDelivered = 4 });
        var failures = new FailureLog();
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.OnBatchFailed = failures.Add));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => failures.Count == 1, "the failure to be reported");
        await Wait.DisposeWithinAsync(batcher);

        var stats = batcher.Statistics;
        Assert.Equal(4, stats.Delivered);
        Assert.Equal(6, stats.Failed);
        Assert.Equal(6, Assert.Single(failures.All).ItemCount);
        Assert.Equal(1, sink.CallCount);
        Invariants.AssertAccountedFor(stats);
    }

    [Fact]
    public async Task Sink_OperationCanceledException_not_caused_by_the_batcher_is_retried()
    {
        // HttpClient reports its own timeout as TaskCanceledException: that is a transient failure, not a shutdown.
        var clock = new TestClock();
        var sink = ScriptedSink.FailingFirstAttempts<int>(clock, failures: 1, () => new TaskCanceledException("request timed out"));
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await clock.RunUntilAsync(() => batcher.Statistics.Delivered == 10, "the retried batch to be delivered");

        Assert.Equal(2, sink.CallCount);
        Assert.Equal(1, batcher.Statistics.Retries);
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Failed_batch_is_logged_when_a_logger_is_given()
    {
        var clock = new TestClock();
        var logger = new ListLogger();
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => new BatchSendException("bad request", isPermanent: true));
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.Logger = logger));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Failed == 10, "the batch to be given up");
        await Wait.DisposeWithinAsync(batcher);

        Assert.Contains(logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    // The largest delay before retry n (1-based) allowed by "a random delay up to base x 2^attempt", counting attempts
    // from 1 (the looser reading), capped by MaxRetryDelay.
    private static TimeSpan Bound(TimeSpan baseDelay, TimeSpan maxDelay, int retry)
    {
        var bound = baseDelay * Math.Pow(2, retry);
        return bound < maxDelay ? bound : maxDelay;
    }
}
