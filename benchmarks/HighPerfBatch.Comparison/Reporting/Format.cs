using System.Globalization;

namespace HighPerfBatch.Comparison.Reporting;

internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(double value) => value.ToString("N0", Invariant);

    public static string Ns(double value) => value < 100 ? value.ToString("0.0", Invariant) : value.ToString("N0", Invariant);

    public static string Bytes(double value) => value < 100 ? value.ToString("0.0", Invariant) : value.ToString("N0", Invariant);

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", Invariant);

    public static string Ms(double? value) => value is { } v ? v.ToString(v < 100 ? "0.0" : "N0", Invariant) : "n/a";

    public static string Bound(RunResult run) => run.LatencyBoundEventsPerMinute is { } bound
        ? Count(bound)
        : run.Concurrency is null ? $"none ({run.PeakInFlight} in flight at peak)" : "n/a";

    public static string Gc(RunResult run) => $"{run.Gen0}/{run.Gen1}/{run.Gen2}";

    public static string Percent(double ratio) => (ratio * 100).ToString("0", Invariant) + " %";

    public static string Ratio(double ratio) => ratio.ToString(ratio < 10 ? "0.00" : "0", Invariant) + "×";
}
