namespace HighPerfBatch.Tests.Engine;

/// <summary>A sink that throws, in any way, never stops the batcher.</summary>
public class FaultToleranceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sink_that_throws_does_not_stop_later_batches(bool throwSynchronously)
    {
        var clock = new TestClock();
        var sink = new ScriptedSink<int>(clock, call => call.Items[0] < 20 ? new InvalidOperationException("boom") : null)
        {
            ThrowSynchronously = throwSynchronously,
        };
        var failures = new FailureLog();
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxRetries = 0;
            o.OnBatchFailed = failures.Add;
        }));

        for (var i = 0; i < 50; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 30, "the batches after the failing ones to be delivered");
        await Wait.DisposeWithinAsync(batcher);

        var stats = batcher.Statistics;
        Assert.Equal(20, stats.Failed);
        Assert.Equal(2, stats.BatchesFailed);
        Assert.Equal(3, stats.BatchesSent);
        Assert.Equal(Invariants.Range(20, 30), sink.DeliveredItems());
        Assert.Equal(2, failures.Count);
        Invariants.AssertAccountedFor(stats);
    }

    [Fact]
    public async Task Sink_that_fails_permanently_for_a_while_then_recovers_gets_the_later_batches()
    {
        var clock = new TestClock();
        var healthy = false;
        var sink = new ScriptedSink<int>(clock, _ => Volatile.Read(ref healthy) ? null : new BatchSendException("down", isPermanent: true));
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock));

        for (var i = 0; i < 30; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Failed == 30, "the first batches to fail");
        Volatile.Write(ref healthy, true);
        for (var i = 30; i < 60; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 30, "the later batches to be delivered");
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(Invariants.Range(30, 30), sink.DeliveredItems());
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task OnBatchFailed_callback_that_throws_does_not_stop_the_batcher()
    {
        var clock = new TestClock();
        var sink = new ScriptedSink<int>(clock, call => call.Items[0] < 10 ? new BatchSendException("bad", isPermanent: true) : null);
        var calls = 0;
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.OnBatchFailed = _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("callback bug");
        }));

        for (var i = 0; i < 30; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 20, "the later batches to be delivered");
        await Wait.DisposeWithinAsync(batcher);

        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(10, batcher.Statistics.Failed);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task Sink_exceptions_never_reach_producers()
    {
        var clock = new TestClock();
        var sink = ScriptedSink.AlwaysFailing<int>(clock, () => new InvalidOperationException("boom"));
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o => o.MaxRetries = 0));

        for (var i = 0; i < 100; i++)
        {
            Assert.True(batcher.TryAdd(i));
            await batcher.AddAsync(1000 + i);
        }

        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "FlushAsync with a failing sink");
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal(200, batcher.Statistics.Failed);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }
}
