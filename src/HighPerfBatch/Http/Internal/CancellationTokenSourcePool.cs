using Microsoft.Extensions.ObjectPool;

namespace HighPerfBatch.Internal;

/// <summary>
/// Pooled <see cref="CancellationTokenSource"/>s for request timeouts: one that was never cancelled is reset
/// (<see cref="CancellationTokenSource.TryReset"/> keeps its timer) and reused; a cancelled one is disposed.
/// </summary>
internal static class CancellationTokenSourcePool
{
    private static readonly ObjectPool<CancellationTokenSource> s_pool =
        new DefaultObjectPoolProvider { MaximumRetained = 64 }.Create(new Policy());

    public static CancellationTokenSource Rent() => s_pool.Get();

    public static void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            s_pool.Return(source);
        }
        else
        {
            source.Dispose();
        }
    }

    private sealed class Policy : PooledObjectPolicy<CancellationTokenSource>
    {
        public override CancellationTokenSource Create() => new();

        // Return() above only hands back sources that were reset.
        public override bool Return(CancellationTokenSource obj) => true;
    }
}
