using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HighPerfBatch.Diagnostics;

/// <summary>
/// One batcher's logs, histograms and spans. Warnings are rate-limited (one per <see cref="WarningInterval"/> and
/// kind, with a count of what was suppressed) so that an outage does not flood the log.
/// </summary>
internal sealed class BatcherTelemetry
{
    public static readonly ActivitySource ActivitySource = new(BatcherMetrics.MeterName);
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger? _logger;
    private readonly TimeProvider _time;
    private readonly string _eventType;
    private readonly KeyValuePair<string, object?> _eventTypeTag;
    private RateLimit _drops;
    private RateLimit _failures;

    public BatcherTelemetry(Type itemType, ILogger? logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        _eventType = itemType.Name;
        _eventTypeTag = new KeyValuePair<string, object?>(BatcherMetrics.EventTypeTagName, _eventType);
    }

    public KeyValuePair<string, object?> EventTypeTag => _eventTypeTag;

    /// <summary>Starts a span for a batch send, or returns null (at no cost) when nobody listens.</summary>
    public Activity? StartSend(int count)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        Activity? activity = ActivitySource.StartActivity("highperfbatch.send " + _eventType, ActivityKind.Producer);
        activity?.SetTag(BatcherMetrics.EventTypeTagName, _eventType);
        activity?.SetTag("highperfbatch.batch.size", count);
        return activity;
    }

    public void BatchCompleted(int count, TimeSpan duration, bool delivered, Activity? activity)
    {
        if (BatcherMetrics.SendDuration.Enabled || BatcherMetrics.BatchSize.Enabled)
        {
            TagList tags = BatcherMetrics.Tags(_eventTypeTag, delivered);
            BatcherMetrics.SendDuration.Record(duration.TotalSeconds, tags);
            BatcherMetrics.BatchSize.Record(count, tags);
        }

        activity?.SetStatus(delivered ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        if (_logger is not null && _logger.IsEnabled(LogLevel.Debug))
        {
            Log.BatchSent(_logger, count, _eventType, duration.TotalMilliseconds, delivered);
        }
    }

    public void ItemsDropped(long count)
    {
        if (_logger is not null && count > 0 && _drops.TryEnter(_time, WarningInterval, out long suppressed))
        {
            Log.ItemsDropped(_logger, count, _eventType, suppressed);
        }
    }

    public void BatchFailed(BatchFailure failure)
    {
        if (_logger is not null && _failures.TryEnter(_time, WarningInterval, out long suppressed))
        {
            Log.BatchFailed(_logger, failure.Exception, failure.ItemCount, _eventType, failure.Reason, failure.Attempts, suppressed);
        }
    }

    public void Retrying(int attempt, TimeSpan delay, Exception error)
    {
        if (_logger is not null && _logger.IsEnabled(LogLevel.Debug))
        {
            Log.Retrying(_logger, _eventType, delay, attempt, error.Message);
        }
    }

    public void CallbackFailed(Exception error)
    {
        if (_logger is not null)
        {
            Log.CallbackFailed(_logger, error, _eventType);
        }
    }

    public void ShutdownTimedOut(int batches)
    {
        if (_logger is not null && batches > 0)
        {
            Log.ShutdownTimedOut(_logger, batches, _eventType);
        }
    }

    /// <summary>Lets one event through per interval and counts the others.</summary>
    private struct RateLimit
    {
        private long _last;
        private long _suppressed;

        public bool TryEnter(TimeProvider time, TimeSpan interval, out long suppressed)
        {
            long now = time.GetTimestamp();
            long last = Interlocked.Read(ref _last);
            if (last != 0 && time.GetElapsedTime(last, now) < interval)
            {
                Interlocked.Increment(ref _suppressed);
                suppressed = 0;
                return false;
            }

            if (Interlocked.CompareExchange(ref _last, now, last) != last)
            {
                Interlocked.Increment(ref _suppressed);
                suppressed = 0;
                return false;
            }

            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }
    }
}
