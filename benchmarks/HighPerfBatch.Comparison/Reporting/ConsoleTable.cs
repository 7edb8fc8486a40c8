using Spectre.Console;

namespace HighPerfBatch.Comparison.Reporting;

internal static class ConsoleTable
{
    public static Table For(IEnumerable<RunResult> runs)
    {
        var table = new Table().RoundedBorder();
        foreach (var header in new[] { "contestant", "events/min", "latency bound/min", "CPU ns/event", "bytes/event", "gen0/1/2", "peak WS MB", "requests", "p50 ms", "p99 ms", "lost" })
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var run in runs)
        {
            if (run.Error is not null)
            {
                table.AddRow(Markup.Escape(run.Contestant), "[red]failed[/]", Markup.Escape(run.Error.Length > 60 ? run.Error[..60] : run.Error), "", "", "", "", "", "", "", "");
                continue;
            }

            table.AddRow(
                Markup.Escape(run.Contestant),
                Format.Count(run.EventsPerMinute),
                Markup.Escape(Format.Bound(run)),
                Format.Ns(run.CpuNsPerEvent),
                Format.Bytes(run.BytesAllocatedPerEvent),
                Format.Gc(run),
                Format.Mb(run.PeakWorkingSetBytes),
                Format.Count(run.HttpRequests),
                Format.Ms(run.P50LatencyMs),
                Format.Ms(run.P99LatencyMs),
                Format.Count(run.EventsLost));
        }

        return table;
    }
}
