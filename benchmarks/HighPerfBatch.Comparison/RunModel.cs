using System.Text.Json.Serialization;

namespace HighPerfBatch.Comparison;

/// <summary>What the parent asks a child process to run: one contestant, one load.</summary>
public sealed record RunRequest
{
    public required string Contestant { get; init; }

    public required Load Load { get; init; }

    public required double DurationSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    public required int Rate { get; init; }

    public required int Producers { get; init; }

    public required int BatchSize { get; init; }

    public required int IntervalMs { get; init; }

    public required int Capacity { get; init; }

    public required int MaxConcurrentSends { get; init; }

    public required int LatencyMs { get; init; }

    public required Uri Endpoint { get; init; }

    /// <summary>The loopback receiver's base address, or null with a real <c>--endpoint</c>.</summary>
    public Uri? ReceiverControl { get; init; }
}

/// <summary>One row of comparison.json. The first twelve names are read by scripts: keep them.</summary>
public sealed record RunResult
{
    public required string Contestant { get; init; }

    public required Load Load { get; init; }

    public double EventsPerMinute { get; init; }

    public double CpuNsPerEvent { get; init; }

    public double BytesAllocatedPerEvent { get; init; }

    public int Gen0 { get; init; }

    public int Gen1 { get; init; }

    public int Gen2 { get; init; }

    public long PeakWorkingSetBytes { get; init; }

    public long HttpRequests { get; init; }

    public double? P50LatencyMs { get; init; }

    public double? P99LatencyMs { get; init; }

    // What the table needs to be read correctly.

    /// <summary>Requests in flight at once by design (null: unbounded, see <see cref="PeakInFlight"/>).</summary>
    public int? Concurrency { get; init; }

    /// <summary>Most requests seen in flight at once.</summary>
    public int PeakInFlight { get; init; }

    /// <summary>Requests in flight, sampled every 250 ms over the window.</summary>
    public double MeanInFlight { get; init; }

    /// <summary>concurrency × batch size ÷ receiver latency, per minute: no row can pass it (null: unbounded or no latency).</summary>
    public double? LatencyBoundEventsPerMinute { get; init; }

    public double? OfferedEventsPerSecond { get; init; }

    public long EventsDelivered { get; init; }

    /// <summary>Events accepted or offered in the window and then dropped or failed.</summary>
    public long EventsLost { get; init; }

    public double MeasuredSeconds { get; init; }

    /// <summary>Process CPU time ÷ wall time in the window, in cores.</summary>
    public double CpuCores { get; init; }

    /// <summary>The receiver process's CPU per event, for reference (not counted against the client).</summary>
    public double? ReceiverCpuNsPerEvent { get; init; }

    /// <summary>NDJSON lines the receiver found malformed (must be 0).</summary>
    public long MalformedLines { get; init; }

    public string? Error { get; init; }
}

public sealed record MachineInfo
{
    public required string Os { get; init; }

    public required string Cpu { get; init; }

    public required int LogicalCores { get; init; }

    public required long MemoryBytes { get; init; }

    public required string Runtime { get; init; }

    public required string Gc { get; init; }

    public string? Commit { get; init; }

    public required DateTimeOffset Date { get; init; }
}

public sealed record ComparisonSettings
{
    public required double DurationSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    public required int Rate { get; init; }

    public required int LatencyMs { get; init; }

    public required int BatchSize { get; init; }

    public required int IntervalMs { get; init; }

    public required int Capacity { get; init; }

    public required int MaxConcurrentSends { get; init; }

    public required int Producers { get; init; }

    public required string Receiver { get; init; }
}

public sealed record ComparisonReport
{
    public required MachineInfo Machine { get; init; }

    public required ComparisonSettings Settings { get; init; }

    public required IReadOnlyList<RunResult> Runs { get; init; }

    /// <summary>The producers alone under the paced load (no contestant): the CPU and bytes per event every paced row includes.</summary>
    public RunResult? HarnessFloor { get; init; }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(ComparisonReport))]
internal sealed partial class ModelJson : JsonSerializerContext;
