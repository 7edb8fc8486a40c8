using System.Text.Json;
using System.Text.Json.Serialization;

namespace HighPerfBatch.Benchmarks;

/// <summary>The micro-benchmarks' event: the comparison's shape (six members, ~110 bytes of JSON).</summary>
[Batched(MaxBatchSize = 1000, FlushIntervalMilliseconds = 1000)]
public readonly partial record struct BenchEvent
{
    private static readonly string[] Kinds = ["page_view", "click", "purchase", "search", "sign_in", "add_to_cart"];

    public long AddedTicks { get; init; }

    public long Id { get; init; }

    public int UserId { get; init; }

    public string Kind { get; init; }

    public double DurationMs { get; init; }

    public bool Success { get; init; }

    public static BenchEvent Create(long sequence) => new()
    {
        AddedTicks = 638_000_000_000_000_000 + sequence,
        Id = sequence,
        UserId = (int)(sequence % 10_007),
        Kind = Kinds[sequence % Kinds.Length],
        DurationMs = (sequence % 4096) / 8.0,
        Success = (sequence & 7) != 0,
    };

    public static BenchEvent[] Batch(int count) => Enumerable.Range(0, count).Select(i => Create(i)).ToArray();
}

/// <summary>The same event as a class, for OpenTelemetry's <c>BatchExportProcessor&lt;T&gt; where T : class</c>.</summary>
public sealed class BenchEventClass
{
    public long AddedTicks { get; set; }

    public long Id { get; set; }

    public int UserId { get; set; }

    public string Kind { get; set; } = "";

    public double DurationMs { get; set; }

    public bool Success { get; set; }
}

internal static class Json
{
    public static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BenchEvent))]
[JsonSerializable(typeof(BenchEvent[]))]
internal sealed partial class BenchJson : JsonSerializerContext;
