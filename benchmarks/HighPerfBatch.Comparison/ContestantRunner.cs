using System.Diagnostics;
using System.Net.Http.Json;
using HighPerfBatch.Comparison.Contestants;
using HighPerfBatch.Comparison.Receiver;

namespace HighPerfBatch.Comparison;

/// <summary>
/// Runs one contestant under one load in this (child) process and prints <c>RESULT {json}</c>. A fresh process per
/// run means each row's GC counts, allocations, CPU time and peak working set are its own, not what the previous
/// contestant left behind (a heap grown by DeepCopyAsync would otherwise be charged to whoever runs next).
/// </summary>
internal static class ContestantRunner
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(RunRequest request)
    {
        var settings = new ContestantSettings(
            request.Endpoint,
            request.BatchSize,
            TimeSpan.FromMilliseconds(request.IntervalMs),
            request.Capacity,
            request.MaxConcurrentSends);
        using var http = Http.CreateClient(out var requests);
        using var control = new HttpClient { BaseAddress = request.ReceiverControl, Timeout = TimeSpan.FromSeconds(10) };
        await using var contestant = ContestantCatalog.Create(request.Contestant, settings, http);

        contestant.Start();
        var producers = contestant.UsesProducers ? Producers.Start(contestant, request) : null;
        if (producers is not null && request.Load == Load.Paced)
        {
            // First half of the warm-up at 25x the rate: enough batches for the send path to reach tier-1 code, so
            // that the window does not pay for the JIT; then the real rate, so the window starts in steady state.
            // The steady part lasts longer than the flush interval, so that no partial batch of the hot part (a pool
            // worker's) is still waiting to be delivered when the window opens.
            producers.RateMultiplier = 25;
            await Task.Delay(TimeSpan.FromSeconds(request.WarmupSeconds / 2)).ConfigureAwait(false);
            producers.RateMultiplier = 1;
            var steady = Math.Max(request.WarmupSeconds / 2, request.IntervalMs / 1000.0 + 0.5);
            await Task.Delay(TimeSpan.FromSeconds(steady)).ConfigureAwait(false);
        }
        else
        {
            await Task.Delay(TimeSpan.FromSeconds(request.WarmupSeconds)).ConfigureAwait(false);
        }

        // The window opens.
        if (request.ReceiverControl is not null && request.Contestant != ContestantCatalog.Baseline)
        {
            using var reset = await control.PostAsync("/_reset", null).ConfigureAwait(false);
            reset.EnsureSuccessStatusCode();
        }

        var process = Process.GetCurrentProcess();
        var start = Snapshot.Take(process, contestant, requests, producers);
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(request.DurationSeconds);
        long inFlightSum = 0;
        int inFlightSamples = 0;
        while (clock.Elapsed < duration)
        {
            var left = duration - clock.Elapsed;
            await Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            inFlightSum += contestant.InFlight;
            inFlightSamples++;
            Console.Out.WriteLine($"PROGRESS {Math.Min(clock.Elapsed.TotalSeconds, request.DurationSeconds):F2} {contestant.Delivered - start.Delivered}");
            Console.Out.Flush();
        }

        // The window closes: receiver first, it is the judge of what was delivered.
        ReceiverStats? stats = null;
        if (request.ReceiverControl is not null && request.Contestant != ContestantCatalog.Baseline)
        {
            stats = await control.GetFromJsonAsync("/_stats", ReceiverJson.Default.ReceiverStats).ConfigureAwait(false);
        }

        var end = Snapshot.Take(process, contestant, requests, producers);
        double seconds = stats?.Seconds ?? clock.Elapsed.TotalSeconds;
        long events = stats?.Events ?? end.Delivered - start.Delivered;
        double perEvent = Math.Max(1, events);
        int? concurrency = contestant.Concurrency;
        double? bound = concurrency is { } c && request.LatencyMs > 0 && request.ReceiverControl is not null
            ? c * (double)request.BatchSize / (request.LatencyMs / 1000.0) * 60
            : null;

        producers?.Stop();
        await contestant.DrainAsync(DrainTimeout).ConfigureAwait(false);

        var result = new RunResult
        {
            Contestant = request.Contestant,
            Load = request.Load,
            EventsPerMinute = events / seconds * 60,
            CpuNsPerEvent = (end.Cpu - start.Cpu).TotalNanoseconds / perEvent,
            BytesAllocatedPerEvent = (end.Allocated - start.Allocated) / perEvent,
            Gen0 = end.Gen0 - start.Gen0,
            Gen1 = end.Gen1 - start.Gen1,
            Gen2 = end.Gen2 - start.Gen2,
            PeakWorkingSetBytes = end.PeakWorkingSet,
            HttpRequests = stats?.Requests ?? end.Requests - start.Requests,
            P50LatencyMs = stats?.P50LatencyMs,
            P99LatencyMs = stats?.P99LatencyMs,
            Concurrency = concurrency,
            PeakInFlight = contestant.PeakInFlight,
            MeanInFlight = inFlightSamples == 0 ? 0 : inFlightSum / (double)inFlightSamples,
            LatencyBoundEventsPerMinute = bound,
            OfferedEventsPerSecond = request.Load == Load.Paced ? request.Rate : (end.Offered - start.Offered) / clock.Elapsed.TotalSeconds,
            EventsDelivered = events,
            EventsLost = end.Lost - start.Lost,
            MeasuredSeconds = seconds,
            CpuCores = (end.Cpu - start.Cpu).TotalSeconds / clock.Elapsed.TotalSeconds,
            MalformedLines = stats?.Malformed ?? 0,
            ReceiverCpuNsPerEvent = stats is null ? null : stats.CpuSeconds * 1e9 / perEvent,
        };
        Console.Out.WriteLine("RESULT " + System.Text.Json.JsonSerializer.Serialize(result, ModelJson.Default.RunResult).ReplaceLineEndings(" "));
        Console.Out.Flush();
        return 0;
    }

    private readonly record struct Snapshot(
        TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, long PeakWorkingSet, long Requests, long Delivered, long Lost, long Offered)
    {
        public static Snapshot Take(Process process, Contestant contestant, RequestCounter requests, Producers? producers)
        {
            process.Refresh();
            return new Snapshot(
                process.TotalProcessorTime,
                GC.GetTotalAllocatedBytes(precise: true),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                process.PeakWorkingSet64,
                requests.Succeeded,
                contestant.Delivered,
                contestant.Lost,
                producers?.Offered ?? 0);
        }
    }
}

/// <summary>The producer threads: paced to a rate in all, or as fast as they can.</summary>
internal sealed class Producers
{
    private readonly Thread[] _threads;
    private readonly long[] _offered;
    private volatile bool _stop;
    private volatile int _rateMultiplier = 1;

    /// <summary>The paced load's rate is multiplied by this (the warm-up runs hot so that every path is jitted at tier 1).</summary>
    public int RateMultiplier
    {
        get => _rateMultiplier;
        set => _rateMultiplier = value;
    }

    private Producers(Contestant contestant, RunRequest request)
    {
        // Saturation: --producers threads. Paced: one thread, the whole rate; more threads would only add wake-ups,
        // the harness's own cost, to every row.
        int count = request.Load == Load.Saturation ? request.Producers : 1;
        _threads = new Thread[count];
        _offered = new long[count * 16]; // one cache line per producer
        double perThreadRate = request.Rate / (double)count;
        for (int i = 0; i < _threads.Length; i++)
        {
            int index = i;
            _threads[i] = request.Load == Load.Saturation
                ? new Thread(() => Saturate(contestant, index)) { IsBackground = true, Name = $"producer-{i}" }
                : new Thread(() => Pace(contestant, index, perThreadRate)) { IsBackground = true, Name = $"producer-{i}" };
        }
    }

    public long Offered
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _threads.Length; i++)
            {
                sum += Volatile.Read(ref _offered[i * 16]);
            }

            return sum;
        }
    }

    public static Producers Start(Contestant contestant, RunRequest request)
    {
        var producers = new Producers(contestant, request);
        foreach (var thread in producers._threads)
        {
            thread.Start();
        }

        return producers;
    }

    public void Stop()
    {
        _stop = true;
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Saturate(Contestant contestant, int index)
    {
        long sequence = (long)index << 40;
        ref long offered = ref _offered[index * 16];
        while (!_stop)
        {
            contestant.Add(ComparisonEvent.Create(sequence++));
            Volatile.Write(ref offered, offered + 1);
        }
    }

    private void Pace(Contestant contestant, int index, double perSecond)
    {
        // Wakes every ~5 ms and adds what is due since the last wake-up, so that the harness's own cost (a wake-up
        // per event would be ~10 µs each) stays far below a contestant's; the event's timestamp is still its add time.
        long sequence = (long)index << 40;
        ref long offered = ref _offered[index * 16];
        long last = Stopwatch.GetTimestamp();
        double credit = 0;
        while (!_stop)
        {
            long now = Stopwatch.GetTimestamp();
            credit += (now - last) / (double)Stopwatch.Frequency * perSecond * RateMultiplier;
            last = now;
            while (credit >= 1 && !_stop)
            {
                contestant.Add(ComparisonEvent.Create(sequence++));
                credit--;
                Volatile.Write(ref offered, offered + 1);
            }

            Thread.Sleep(5);
        }
    }
}
