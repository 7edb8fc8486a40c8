using System.Diagnostics;

namespace HighPerfBatch.Tests.Engine;

/// <summary>Bounded polling for asynchronous effects: no fixed sleeps, no timing assertions.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; throws after <see cref="TestClock.RealTimeout"/> of real time.</summary>
    public static async Task UntilAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TestClock.RealTimeout;
        var watch = Stopwatch.StartNew();
        var spins = 0;
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit} waiting for {because}.");
            }

            if (++spins < 20)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1);
            }
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing the test (instead of hanging the run) after <see cref="TestClock.RealTimeout"/>.</summary>
    public static async Task WithinAsync(Task task, string because)
    {
        try
        {
            await task.WaitAsync(TestClock.RealTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {TestClock.RealTimeout} waiting for {because}.");
        }
    }

    /// <summary>Disposes the batcher, bounded in real time. Fake time does not move, so no shutdown timeout can pass.</summary>
    public static Task DisposeWithinAsync<T>(Batcher<T> batcher)
        => WithinAsync(batcher.DisposeAsync().AsTask(), "DisposeAsync to return");
}
