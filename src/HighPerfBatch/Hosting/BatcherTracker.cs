using Microsoft.Extensions.Logging;

namespace HighPerfBatch;

/// <summary>
/// The batchers a service provider has created, so that <see cref="BatcherDrainService"/> can drain them when the host
/// stops. One per service provider (a singleton); batchers that were never resolved have nothing to drain.
/// </summary>
internal sealed partial class BatcherTracker
{
    private readonly List<(IAsyncDisposable Batcher, Type ItemType)> _batchers = [];

    public void Track(IAsyncDisposable batcher, Type itemType)
    {
        lock (_batchers)
        {
            _batchers.Add((batcher, itemType));
        }
    }

    /// <summary>
    /// Disposes every tracked batcher at once (each sends what it holds, within its own
    /// <see cref="BatcherOptions.ShutdownTimeout"/>) and waits for them until <paramref name="cancellationToken"/> fires.
    /// Never throws: a batcher that fails to dispose, or that is still draining when the token fires, is logged.
    /// </summary>
    public async Task DrainAsync(ILogger logger, CancellationToken cancellationToken)
    {
        (IAsyncDisposable Batcher, Type ItemType)[] batchers;
        lock (_batchers)
        {
            batchers = [.. _batchers];
        }

        if (batchers.Length == 0)
        {
            return;
        }

        var drains = new Task[batchers.Length];
        for (var i = 0; i < batchers.Length; i++)
        {
            drains[i] = DisposeOneAsync(batchers[i].Batcher, batchers[i].ItemType, logger);
        }

        try
        {
            await Task.WhenAll(drains).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var pending = 0;
            foreach (var drain in drains)
            {
                pending += drain.IsCompleted ? 0 : 1;
            }

            LogShutdownTimeout(logger, pending);
        }
    }

    private static async Task DisposeOneAsync(IAsyncDisposable batcher, Type itemType, ILogger logger)
    {
        try
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One batcher's failure must not stop the others from draining, nor fail the host's stop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogDisposeFailed(logger, ex, itemType.FullName);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "The host's shutdown timeout passed while {Pending} batcher(s) were still draining; what they hold is sent or counted as failed within their own ShutdownTimeout, unless the process exits first. Make BatcherOptions.ShutdownTimeout shorter than HostOptions.ShutdownTimeout.")]
    private static partial void LogShutdownTimeout(ILogger logger, int pending);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "The batcher of {ItemType} failed while draining at host shutdown.")]
    private static partial void LogDisposeFailed(ILogger logger, Exception exception, string? itemType);
}
