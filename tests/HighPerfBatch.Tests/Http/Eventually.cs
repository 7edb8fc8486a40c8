namespace HighPerfBatch.Tests.Http;

/// <summary>Bounded polling for a condition, instead of sleeping.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int timeoutMilliseconds = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"condition not met within {timeoutMilliseconds} ms");
            }

            await Task.Delay(10);
        }
    }
}
