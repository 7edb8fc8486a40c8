using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HighPerfBatch.Comparison;

/// <summary>
/// The event every contestant sends. A struct, so that a queue of them holds the data inline, as a Go slice of
/// values does in the seed. <see cref="AddedTicks"/> is first so that the receiver finds it at a fixed offset of each
/// NDJSON line; it is a <see cref="Stopwatch"/> timestamp (CLOCK_MONOTONIC on Linux, shared by all processes).
/// </summary>
[Batched(MaxBatchSize = 1000, FlushIntervalMilliseconds = 1000)]
public readonly partial record struct ComparisonEvent
{
    public long AddedTicks { get; init; }

    public long Id { get; init; }

    public int UserId { get; init; }

    public string Kind { get; init; }

    public double DurationMs { get; init; }

    public bool Success { get; init; }

    private static readonly string[] Kinds = ["page_view", "click", "purchase", "search", "sign_in", "add_to_cart"];

    /// <summary>Makes the <paramref name="sequence"/>-th event of a producer, stamped now. Allocates nothing.</summary>
    public static ComparisonEvent Create(long sequence) => new()
    {
        AddedTicks = Stopwatch.GetTimestamp(),
        Id = sequence,
        UserId = (int)(sequence % 10_007),
        Kind = Kinds[sequence % Kinds.Length],
        DurationMs = (sequence % 4096) / 8.0,
        Success = (sequence & 7) != 0,
    };
}

/// <summary>
/// The same event as a class, for OpenTelemetry's <c>BatchExportProcessor&lt;T&gt; where T : class</c>: its design
/// holds references, so its producers allocate one object per event (as with an <c>Activity</c> or a <c>LogRecord</c>).
/// </summary>
public sealed class OtelEvent
{
    public long AddedTicks { get; set; }

    public long Id { get; set; }

    public int UserId { get; set; }

    public string Kind { get; set; } = "";

    public double DurationMs { get; set; }

    public bool Success { get; set; }

    public static OtelEvent From(in ComparisonEvent e) => new()
    {
        AddedTicks = e.AddedTicks,
        Id = e.Id,
        UserId = e.UserId,
        Kind = e.Kind,
        DurationMs = e.DurationMs,
        Success = e.Success,
    };
}

/// <summary>Reflection-based System.Text.Json, the way most services serialize (the seed's pools and DeepCopyAsync).</summary>
internal static class ReflectionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>Source-generated System.Text.Json for the OpenTelemetry exporter: the best a careful exporter author would pick.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OtelEvent))]
[JsonSerializable(typeof(ComparisonEvent))]
internal sealed partial class SourceGenJson : JsonSerializerContext;
