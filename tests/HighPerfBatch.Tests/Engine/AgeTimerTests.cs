using Microsoft.Extensions.Time.Testing;

namespace HighPerfBatch.Tests.Engine;

/// <summary>The age trigger against a clock that moves while the send loop arms its timer.</summary>
public class AgeTimerTests
{
    /// <summary>A fake clock that jumps forward once, in the middle of the first arming of a finite timer.</summary>
    private sealed class ClockMovingWhileArming : FakeTimeProvider
    {
        private TimeSpan _jump;
        private int _jumped;

        public bool Jumped => Volatile.Read(ref _jumped) == 1;

        public void JumpOnNextArming(TimeSpan jump) => _jump = jump;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => new Timer(this, base.CreateTimer(callback, state, dueTime, period));

        private sealed class Timer(ClockMovingWhileArming clock, ITimer inner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime != Timeout.InfiniteTimeSpan && clock._jump > TimeSpan.Zero && Interlocked.Exchange(ref clock._jumped, 1) == 0)
                {
                    // The clock moves after the delay was computed and before the timer takes it.
                    clock.Advance(clock._jump);
                }

                return inner.Change(dueTime, period);
            }

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    [Fact]
    public async Task Flushes_on_time_when_the_clock_moves_while_the_age_timer_is_armed()
    {
        var clock = new ClockMovingWhileArming();
        var sink = new RecordingSink<int>(clock);
        await using var batcher = new Batcher<int>(sink, new BatcherOptions
        {
            MaxBatchSize = 100,
            FlushInterval = TimeSpan.FromSeconds(1),
            TimeProvider = clock,
        });

        // One batch through first, so that the send loop is up and idle: the next batch's timer is armed once.
        Assert.True(batcher.TryAdd(1));
        await Wait.WithinAsync(batcher.FlushAsync().AsTask(), "the first batch");
        clock.JumpOnNextArming(TimeSpan.FromMilliseconds(600));

        Assert.True(batcher.TryAdd(7));
        await Wait.UntilAsync(() => clock.Jumped, "the send loop to arm the age timer");
        Assert.Equal(1, sink.CallCount);

        // 600 ms passed while arming; 400 ms more make the first item 1 s old.
        clock.Advance(TimeSpan.FromMilliseconds(400));

        await Wait.UntilAsync(() => sink.CallCount == 2, "the batch to be sent when its first item is FlushInterval old");
        Assert.Equal([7], sink.Calls[1].Items);
    }
}
