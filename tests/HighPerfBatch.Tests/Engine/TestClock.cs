using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace HighPerfBatch.Tests.Engine;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which of its timers are armed and when they are due, so that a test
/// can move fake time exactly to the engine's next wake-up (and no further) instead of guessing step sizes.
/// Every timer the engine can be woken by (Task.Delay, CancellationTokenSource(TimeSpan), WaitAsync, CreateTimer)
/// goes through <see cref="CreateTimer"/>.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>Real-time bound of every wait in the engine tests. Generous: the machine is small and shared.</summary>
    public static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly List<TrackedTimer> _timers = [];

    public TestClock()
        : base(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Fake time elapsed since the clock was created.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    /// <summary>Timers that are armed now (created or changed with a finite due time and not yet fired or disposed).</summary>
    public int ArmedTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <summary>Armed timers with a period (a free-running timer wakes the engine while idle).</summary>
    public int ArmedPeriodicTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null && t.Period > TimeSpan.Zero);
            }
        }
    }

    /// <summary>The due time of the earliest armed timer, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset? next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } due && (next is null || due < next))
                    {
                        next = due;
                    }
                }

                return next;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(tracked);
        }

        tracked.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), tracked, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    /// <summary>Waits (real time, bounded) until some timer is armed.</summary>
    public Task WaitForArmedTimerAsync(string because = "the engine to arm a timer")
        => Wait.UntilAsync(() => ArmedTimerCount > 0, because);

    /// <summary>
    /// Until <paramref name="condition"/> holds: moves fake time to the earliest armed timer (never beyond
    /// <paramref name="notAfter"/>), or, when no timer is armed, gives the engine real time to make progress.
    /// Fails when the condition does not hold within <see cref="RealTimeout"/> of real time.
    /// </summary>
    public async Task RunUntilAsync(Func<bool> condition, string because, DateTimeOffset? notAfter = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (NextDue is { } due && (notAfter is null || due <= notAfter))
            {
                var delta = due - GetUtcNow();
                Advance(delta > TimeSpan.Zero ? delta : TimeSpan.Zero);
                continue;
            }

            if (watch.Elapsed > RealTimeout)
            {
                var limit = notAfter is { } n ? $" (fake time not moved beyond {n - Start})" : string.Empty;
                throw new TimeoutException(
                    $"Timed out waiting for {because}{limit}; fake time elapsed {Elapsed}, armed timers {ArmedTimerCount}, next due {NextDue - Start}.");
            }

            await Task.Delay(1);
        }
    }

    private void Remove(TrackedTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class TrackedTimer : ITimer
    {
        private readonly TestClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private bool _disposed;

        public TrackedTimer(TestClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
        }

        public ITimer? Inner { get; set; }

        // Guarded by _clock._gate.
        public DateTimeOffset? DueAt { get; private set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_clock._gate)
            {
                if (_disposed)
                {
                    return false;
                }

                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            }

            // The inner timer may fire synchronously (due time zero), which calls Fire and updates DueAt.
            return Inner!.Change(dueTime, period);
        }

        public void Fire()
        {
            lock (_clock._gate)
            {
                if (_disposed)
                {
                    return;
                }

                DueAt = Period > TimeSpan.Zero ? _clock.GetUtcNow() + Period : null;
            }

            _callback(_state);
        }

        public void Dispose()
        {
            lock (_clock._gate)
            {
                _disposed = true;
                DueAt = null;
            }

            Inner?.Dispose();
            _clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
