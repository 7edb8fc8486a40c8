namespace HighPerfBatch.Internal;

/// <summary>Exponential backoff with full jitter (a uniformly random delay up to base × 2^attempt, capped).</summary>
internal static class Backoff
{
    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    public static TimeSpan Delay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            // The receiver knows its own load better than our guess, but an absurd value must not park the batch forever.
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > maxDelay ? maxDelay : asked;
        }

        double ceiling = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 30)));
#pragma warning disable CA5394 // Jitter spreads retries of many clients; it needs no cryptographic randomness.
        return TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
#pragma warning restore CA5394
    }
}
