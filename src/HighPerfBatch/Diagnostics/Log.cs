using Microsoft.Extensions.Logging;

namespace HighPerfBatch.Diagnostics;

/// <summary>The batcher's log messages (source-generated: no boxing, no formatting unless enabled).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "HighPerfBatch dropped {Count} {EventType} items to make room (DropOldest); {Suppressed} similar warnings suppressed since the last one.")]
    public static partial void ItemsDropped(ILogger logger, long count, string eventType, long suppressed);

    [LoggerMessage(2, LogLevel.Warning, "HighPerfBatch gave up a batch of {Count} {EventType} items ({Reason}) after {Attempts} attempts; {Suppressed} similar warnings suppressed since the last one.")]
    public static partial void BatchFailed(ILogger logger, Exception? exception, int count, string eventType, BatchFailureReason reason, int attempts, long suppressed);

    [LoggerMessage(3, LogLevel.Debug, "HighPerfBatch sent a batch of {Count} {EventType} items in {Milliseconds} ms (delivered: {Delivered}).")]
    public static partial void BatchSent(ILogger logger, int count, string eventType, double milliseconds, bool delivered);

    [LoggerMessage(4, LogLevel.Debug, "HighPerfBatch retries a {EventType} batch in {Delay} (attempt {Attempt} failed: {Error}).")]
    public static partial void Retrying(ILogger logger, string eventType, TimeSpan delay, int attempt, string error);

    [LoggerMessage(5, LogLevel.Error, "HighPerfBatch's OnBatchFailed callback for {EventType} threw.")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string eventType);

    [LoggerMessage(6, LogLevel.Warning, "HighPerfBatch shutdown timeout passed with {Batches} {EventType} batches undelivered; they are counted as failed.")]
    public static partial void ShutdownTimedOut(ILogger logger, int batches, string eventType);
}
