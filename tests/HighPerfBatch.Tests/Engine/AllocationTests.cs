using System.Diagnostics;

namespace HighPerfBatch.Tests.Engine;

/// <summary>
/// TryAdd allocates nothing in steady state, on the accepting, refusing and dropping paths alike. Each measured
/// region is synchronous, so <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees exactly the producer's work.
/// </summary>
/// <remarks>
/// Where TryAdd wakes the send loop (accepting and dropping paths), the best of three windows of 1,000,000 calls must
/// be 0 bytes. Waking any thread-pool work now and then makes the runtime create a worker thread on the waking thread
/// (measured outside the engine: 64 bytes on a pool thread, 144 on a dedicated one, about once per run of millions of
/// signals while the pool grows). That is the machine, not the steady state; an allocation of the batcher's own, per
/// batch or per wake, shows in every window. The refusing path wakes nothing and gets a single window.
/// </remarks>
[Collection(HeavyTests.Name)]
public class AllocationTests
{
    private const int Calls = 1_000_000;
    private const int Windows = 3;

    [Fact]
    public async Task TryAdd_allocates_nothing_on_the_accepting_path()
    {
        var clock = new TestClock();
        var sink = new CountingSink<int>();
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = 1000;
            o.Capacity = 100_000;
            o.MaxConcurrentSends = 4;
        }));
        var watch = Stopwatch.StartNew();

        var refused = AddPaced(batcher, sink, 0, 2 * Calls, watch);
        var windows = new long[Windows];
        for (var w = 0; w < Windows; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            refused += AddPaced(batcher, sink, (2 + w) * Calls, Calls, watch);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(windows.Min() == 0, $"TryAdd allocated in every window of {Calls:N0} accepted items: {string.Join(", ", windows)} bytes.");
        Assert.Equal(0, refused); // the accepting path is what was measured
        await Wait.DisposeWithinAsync(batcher);
        Assert.Equal((2 + Windows) * Calls, batcher.Statistics.Delivered);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Theory]
    [InlineData(BatchFullMode.Wait)]
    [InlineData(BatchFullMode.DropWrite)]
    public async Task TryAdd_allocates_nothing_on_the_refusing_path(BatchFullMode mode)
    {
        var (batcher, sink) = await FilledAsync(mode);

        for (var i = 0; i < Calls / 10; i++)
        {
            batcher.TryAdd(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var accepted = 0;
        for (var i = 0; i < Calls; i++)
        {
            if (batcher.TryAdd(i))
            {
                accepted++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, accepted); // the refusing path is what was measured
        Assert.Equal(Calls + (Calls / 10), batcher.Statistics.Rejected);
        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public async Task TryAdd_allocates_nothing_on_the_dropping_path()
    {
        var (batcher, sink) = await FilledAsync(BatchFullMode.DropOldest);

        for (var i = 0; i < Calls / 10; i++)
        {
            batcher.TryAdd(i);
        }

        var droppedBefore = batcher.Statistics.Dropped;
        var windows = new long[Windows];
        var refused = 0;
        for (var w = 0; w < Windows; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Calls; i++)
            {
                if (!batcher.TryAdd(i))
                {
                    refused++;
                }
            }

            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(windows.Min() == 0, $"TryAdd allocated in every window of {Calls:N0} dropping calls: {string.Join(", ", windows)} bytes.");
        Assert.Equal(0, refused);
        Assert.InRange(batcher.Statistics.Dropped - droppedBefore, (Windows * Calls) - 100, Windows * Calls); // the dropping path is what was measured
        sink.Open();
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    /// <summary>
    /// Adds <paramref name="count"/> items, letting the sink finish each batch before the next one is due, so that the
    /// batcher stays in its steady state: the segments in circulation never exceed what the warm-up already needed
    /// (a batcher may grow its segment pool the first time the sink falls behind; that is not the steady state).
    /// Reading <see cref="Batcher{T}.Statistics"/> (a struct) allocates nothing. Returns the refusals.
    /// </summary>
    private static long AddPaced(Batcher<int> batcher, CountingSink<int> sink, int first, int count, Stopwatch watch)
    {
        long refused = 0;
        for (var i = first; i < first + count; i++)
        {
            if (!batcher.TryAdd(i))
            {
                refused++;
            }

            if (i % 1000 == 999)
            {
                var accepted = i + 1L - refused;
                var spin = default(SpinWait);
                while (batcher.Statistics is var s && (s.Delivered < accepted || s.InFlight > 0))
                {
                    if (watch.Elapsed > TestClock.RealTimeout * 2)
                    {
                        throw new TimeoutException("The sink did not keep up with the producer.");
                    }

                    spin.SpinOnce();
                }
            }
        }

        return refused;
    }

    /// <summary>One batch of 10 in the blocked sink, 100 items buffered: a full batcher.</summary>
    private static async Task<(Batcher<int> Batcher, BlockingSink<int> Sink)> FilledAsync(BatchFullMode mode)
    {
        var clock = new TestClock();
        var sink = new BlockingSink<int>(clock);
        var batcher = new Batcher<int>(sink, TestOptions.Create(clock, o =>
        {
            o.MaxBatchSize = 10;
            o.Capacity = 100;
            o.FullMode = mode;
        }));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => sink.CallCount == 1, "the first batch to reach the sink");
        for (var i = 10; i < 110; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        return (batcher, sink);
    }
}
