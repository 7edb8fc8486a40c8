using Microsoft.Extensions.Logging;

namespace HighPerfBatch.Tests.Engine;

/// <summary>Options for engine tests: fake time, small batches, and no trigger that the test does not pull itself.</summary>
public static class TestOptions
{
    /// <summary>
    /// MaxBatchSize 10, Capacity 1,000, FlushInterval 1 hour (age never matters unless the test moves fake time),
    /// one send at a time, 3 retries 10 ms .. 1 s apart, ShutdownTimeout 10 s, all on <paramref name="clock"/>.
    /// </summary>
    public static BatcherOptions Create(TestClock clock, Action<BatcherOptions>? configure = null)
    {
        var options = new BatcherOptions
        {
            MaxBatchSize = 10,
            Capacity = 1000,
            FlushInterval = TimeSpan.FromHours(1),
            FullMode = BatchFullMode.Wait,
            MaxConcurrentSends = 1,
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            TimeProvider = clock,
        };
        configure?.Invoke(options);
        return options;
    }
}

public static class Invariants
{
    /// <summary>Every accepted item was delivered, dropped or failed: exactly once, nothing unaccounted.</summary>
    public static void AssertAccountedFor(BatcherStatistics s)
        => Assert.True(s.Accepted == s.Delivered + s.Dropped + s.Failed, $"Accepted != Delivered + Dropped + Failed: {s}");

    /// <summary>No empty batch and none larger than <paramref name="maxBatchSize"/> reached the sink.</summary>
    public static void AssertBatchesWellFormed<T>(RecordingSink<T> sink, int maxBatchSize)
    {
        foreach (var call in sink.Calls)
        {
            Assert.True(call.Items.Length > 0, $"Call {call.Index} got an empty batch.");
            Assert.True(call.Items.Length <= maxBatchSize, $"Call {call.Index} got {call.Items.Length} items, more than MaxBatchSize {maxBatchSize}.");
        }
    }

    public static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();
}

/// <summary>An <see cref="ILogger"/> that keeps what it is told.</summary>
public sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception), exception));
        }
    }
}
