using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HighPerfBatch;

/// <summary>
/// Drains the batchers of the service provider when the host stops: <see cref="StopAsync"/> disposes them all at once,
/// so that what they hold is sent, and waits for them within the host's shutdown timeout (the token it is given).
/// </summary>
/// <remarks>
/// Hosted services stop in reverse order of registration, so producers registered after <c>AddBatcher</c> (and the
/// ASP.NET Core server, which is registered last) stop before the batchers are drained.
/// </remarks>
internal sealed class BatcherDrainService : IHostedService
{
    private readonly BatcherTracker _tracker;
    private readonly ILogger _logger;

    public BatcherDrainService(BatcherTracker tracker, ILoggerFactory? loggerFactory = null)
    {
        _tracker = tracker;
        _logger = loggerFactory?.CreateLogger("HighPerfBatch.Hosting") ?? NullLogger.Instance;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _tracker.DrainAsync(_logger, cancellationToken);
}
