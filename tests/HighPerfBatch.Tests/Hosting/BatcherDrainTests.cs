using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HighPerfBatch.Tests.Hosting;

public class BatcherDrainTests
{
    [Fact]
    public async Task Events_added_just_before_StopAsync_are_delivered()
    {
        var sink = new RecordingSink<HostedEvent>();
        var builder = HostingTestHost.CreateBuilder();
        // Nothing is due before the stop: no batch is full and the flush interval is far away.
        builder.Services.AddBatcher<HostedEvent>(o =>
        {
            o.MaxBatchSize = 10_000;
            o.Capacity = 10_000;
            o.FlushInterval = TimeSpan.FromHours(1);
        }).ToSink(sink);
        using var host = builder.Build();
        await host.StartAsync();
        var batcher = host.Services.GetRequiredService<Batcher<HostedEvent>>();

        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(batcher.TryAdd(new HostedEvent(i, "e" + i)));
        }

        await host.StopAsync();

        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => (long)i), sink.Items.Select(e => e.Id).Order());
        Assert.Equal(1_000, batcher.Statistics.Delivered);
    }

    [Fact]
    public async Task Every_batcher_of_the_host_is_drained()
    {
        var events = new RecordingSink<HostedEvent>();
        var plains = new RecordingSink<PlainEvent>();
        var builder = HostingTestHost.CreateBuilder();
        builder.Services.AddBatcher<HostedEvent>(o => o.FlushInterval = TimeSpan.FromHours(1)).ToSink(events);
        builder.Services.AddBatcher<PlainEvent>(o => o.FlushInterval = TimeSpan.FromHours(1)).ToSink(plains);
        using var host = builder.Build();
        await host.StartAsync();

        host.Services.GetRequiredService<Batcher<HostedEvent>>().TryAdd(new HostedEvent(1, "a"));
        host.Services.GetRequiredService<Batcher<PlainEvent>>().TryAdd(new PlainEvent(2));
        await host.StopAsync();

        Assert.Single(events.Items);
        Assert.Single(plains.Items);
    }

    [Fact]
    public async Task Host_stop_does_not_wait_past_its_token_for_a_batcher_that_cannot_drain()
    {
        var tracker = new BatcherTracker();
        var stuck = new StuckDisposable();
        tracker.Track(stuck, typeof(HostedEvent));
        var logger = new ListLogger();
        using var cts = new CancellationTokenSource();

        var drain = tracker.DrainAsync(logger, cts.Token);
        await Poll.UntilAsync(() => stuck.DisposeStarted, "the drain starts disposing");
        Assert.False(drain.IsCompleted);
        await cts.CancelAsync();
        await drain; // completes without throwing once the host's token fires

        Assert.Contains(logger.Messages, m => m.Contains("1 batcher(s) were still draining", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batcher_that_throws_while_draining_does_not_stop_the_others()
    {
        var tracker = new BatcherTracker();
        var good = new CountingDisposable();
        tracker.Track(new ThrowingDisposable(), typeof(PlainEvent));
        tracker.Track(good, typeof(HostedEvent));
        var logger = new ListLogger();

        await tracker.DrainAsync(logger, CancellationToken.None);

        Assert.Equal(1, good.Disposals);
        Assert.Contains(logger.Messages, m => m.Contains(typeof(PlainEvent).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drain_with_no_batcher_resolved_completes()
    {
        var tracker = new BatcherTracker();

        await tracker.DrainAsync(NullLogger.Instance, CancellationToken.None);
    }

    private sealed class StuckDisposable : IAsyncDisposable
    {
        private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool DisposeStarted;

        public ValueTask DisposeAsync()
        {
            DisposeStarted = true;
            return new ValueTask(_never.Task);
        }
    }

    private sealed class ThrowingDisposable : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            throw new InvalidOperationException("sink exploded");
        }
    }

    private sealed class CountingDisposable : IAsyncDisposable
    {
        public int Disposals;

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref Disposals);
            return default;
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
