using System.Globalization;
using System.Text;

namespace HighPerfBatch.Comparison.Reporting;

internal static class MarkdownReport
{
    private static readonly string[] Others = ["WorkerPool(10)", "WorkerPool(100)", "DeepCopyAsync", "OpenTelemetry"];

    public static string Render(ComparisonReport report)
    {
        var m = report.Machine;
        var s = report.Settings;
        var md = new StringBuilder();
        md.AppendLine("# HighPerfBatch comparison");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m.Cpu}, {m.LogicalCores} logical cores, {m.MemoryBytes / (1024 * 1024 * 1024.0):0.#} GiB, {m.Os}, {m.Runtime}, {m.Gc} GC; commit {m.Commit ?? "unknown"}, {m.Date:yyyy-MM-dd HH:mm} UTC.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Settings: batch {s.BatchSize} events, interval {s.IntervalMs} ms, capacity {s.Capacity:N0}, receiver {s.Receiver} with {s.LatencyMs} ms per request, HighPerfBatch `MaxConcurrentSends` = Ceiling concurrency = {s.MaxConcurrentSends}, {s.Producers} producer threads at saturation (1 paced, waking every 5 ms), {s.DurationSeconds:0.#} s measured per row after {s.WarmupSeconds:0.#} s warm-up, each row in a fresh process (paced rows with tiered compilation off, so that their per-batch code is optimized from the first call).");
        foreach (var load in report.Runs.Select(r => r.Load).Distinct())
        {
            md.AppendLine();
            md.AppendLine(load == Load.Paced ? $"## Paced: {s.Rate:N0} events/s offered" : $"## Saturation: {s.Producers} producers as fast as they can");
            md.AppendLine();
            md.AppendLine("| Contestant | events/min | latency bound/min | CPU ns/event | bytes alloc/event | gen0/1/2 | peak WS (MB) | HTTP requests | p50 add→ack (ms) | p99 add→ack (ms) | lost |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var run in report.Runs.Where(r => r.Load == load))
            {
                if (run.Error is not null)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Contestant} | failed: {run.Error.ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal)} |||||||||| ");
                    continue;
                }

                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Contestant} | {Format.Count(run.EventsPerMinute)} | {Format.Bound(run)} | {Format.Ns(run.CpuNsPerEvent)} | {Format.Bytes(run.BytesAllocatedPerEvent)} | {Format.Gc(run)} | {Format.Mb(run.PeakWorkingSetBytes)} | {Format.Count(run.HttpRequests)} | {Format.Ms(run.P50LatencyMs)} | {Format.Ms(run.P99LatencyMs)} | {Format.Count(run.EventsLost)} |");
            }
        }

        if (report.HarnessFloor is { Error: null } floor)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Harness floor under the paced load (producers only, events made and discarded): {Format.Ns(floor.CpuNsPerEvent)} ns CPU and {Format.Bytes(floor.BytesAllocatedPerEvent)} B per event. Every paced row includes it.");
        }

        md.AppendLine();
        md.AppendLine("## Targets");
        md.AppendLine();
        foreach (var line in Verdicts(report))
        {
            md.AppendLine("- " + line);
        }

        md.AppendLine();
        md.AppendLine("CPU is the client process's user + system time over the measured window divided by the events the receiver acknowledged in it; bytes are `GC.GetTotalAllocatedBytes(precise: true)` over the same window; latency is from the producer's `Stopwatch` timestamp in the event to the moment the receiver acknowledges the request that carried it (HdrHistogram in the receiver). The latency bound is concurrency × batch size ÷ receiver latency: no row can pass it. \"lost\" counts events dropped by a full queue (OpenTelemetry drops by design) or failed. The receiver runs in its own process on the same cores: its CPU is not counted, but it competes for them.");
        return md.ToString();
    }

    public static IEnumerable<string> Verdicts(ComparisonReport report)
    {
        foreach (var load in report.Runs.Select(r => r.Load).Distinct())
        {
            var runs = report.Runs.Where(r => r.Load == load && r.Error is null).ToList();
            var ours = runs.FirstOrDefault(r => r.Contestant == "HighPerfBatch");
            var others = runs.Where(r => Others.Contains(r.Contestant)).ToList();
            if (ours is null || others.Count == 0)
            {
                continue;
            }

            var leastCpu = others.MinBy(r => r.CpuNsPerEvent)!;
            double cpuRatio = ours.CpuNsPerEvent / leastCpu.CpuNsPerEvent;
            if (load == Load.Saturation)
            {
                var fastest = others.MaxBy(r => r.EventsPerMinute)!;
                double speedup = ours.EventsPerMinute / Math.Max(1, fastest.EventsPerMinute);
                yield return $"saturation: HighPerfBatch {Format.Count(ours.EventsPerMinute)} events/min = {Format.Ratio(speedup)} the best other ({fastest.Contestant}, {Format.Count(fastest.EventsPerMinute)}) — target ≥ 2× {Mark(speedup >= 2)}";
                if (runs.FirstOrDefault(r => r.Contestant == "Ceiling") is { } ceiling)
                {
                    double share = ours.EventsPerMinute / Math.Max(1, ceiling.EventsPerMinute);
                    yield return $"saturation: HighPerfBatch reached {Format.Percent(share)} of the Ceiling ({Format.Count(ceiling.EventsPerMinute)}) — target ≥ 50 % {Mark(share >= 0.5)}";
                }

                yield return $"saturation: CPU/event {Format.Ns(ours.CpuNsPerEvent)} ns = {Format.Percent(cpuRatio)} of the leanest other ({leastCpu.Contestant}, {Format.Ns(leastCpu.CpuNsPerEvent)} ns) — target ≤ 33 % {Mark(cpuRatio <= 1 / 3.0)}";
                if (others.FirstOrDefault(r => r.Contestant == "DeepCopyAsync") is { } deepCopy)
                {
                    double bytesRatio = ours.BytesAllocatedPerEvent / Math.Max(double.Epsilon, deepCopy.BytesAllocatedPerEvent);
                    yield return $"saturation: bytes/event {Format.Bytes(ours.BytesAllocatedPerEvent)} = {bytesRatio.ToString("0.00%", CultureInfo.InvariantCulture)} of DeepCopyAsync's ({Format.Bytes(deepCopy.BytesAllocatedPerEvent)}) — target ≤ 1 % {Mark(bytesRatio <= 0.01)}";
                }
            }
            else
            {
                double offeredPerMinute = report.Settings.Rate * 60.0;
                var behind = runs.Where(r => r.Contestant != "Ceiling" && r.EventsPerMinute < offeredPerMinute * 0.95).Select(r => r.Contestant).ToList();
                yield return behind.Count == 0
                    ? $"paced: every contestant kept up with {Format.Count(offeredPerMinute)} events/min offered {Mark(true)}"
                    : $"paced: fell behind {Format.Count(offeredPerMinute)} events/min offered: {string.Join(", ", behind)} {Mark(false)}";
                yield return $"paced: CPU/event {Format.Ns(ours.CpuNsPerEvent)} ns = {Format.Percent(cpuRatio)} of the leanest other ({leastCpu.Contestant}, {Format.Ns(leastCpu.CpuNsPerEvent)} ns) — target ≤ 33 % {Mark(cpuRatio <= 1 / 3.0)}";
                if (report.HarnessFloor is { Error: null } floor && leastCpu.CpuNsPerEvent > floor.CpuNsPerEvent)
                {
                    double above = Math.Max(0, ours.CpuNsPerEvent - floor.CpuNsPerEvent) / (leastCpu.CpuNsPerEvent - floor.CpuNsPerEvent);
                    yield return $"paced: above the harness floor ({Format.Ns(floor.CpuNsPerEvent)} ns), HighPerfBatch spends {Format.Percent(above)} of the leanest other's CPU per event {Mark(above <= 1 / 3.0)}";
                }
            }
        }
    }

    private static string Mark(bool met) => met ? "(met)" : "(missed)";
}
