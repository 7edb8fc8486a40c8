using System.Text.Json.Serialization;

namespace HighPerfBatch.Comparison.Receiver;

/// <summary>What <c>GET /_stats</c> of the loopback receiver answers: counts since the last reset.</summary>
public sealed class ReceiverStats
{
    public long Events { get; init; }

    public long Requests { get; init; }

    public long Bytes { get; init; }

    /// <summary>Lines that were not a JSON object (a bug in a contestant: never invalid JSON on the wire).</summary>
    public long Malformed { get; init; }

    /// <summary>Events without a usable <c>addedTicks</c> (the Ceiling's pre-serialized bodies carry 0).</summary>
    public long Untimed { get; init; }

    public double Seconds { get; init; }

    /// <summary>The receiver process's CPU time (user + system) since the reset, in seconds.</summary>
    public double CpuSeconds { get; init; }

    public double? P50LatencyMs { get; init; }

    public double? P99LatencyMs { get; init; }

    public double? MaxLatencyMs { get; init; }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReceiverStats))]
internal sealed partial class ReceiverJson : JsonSerializerContext;
