using System.Text.Json.Serialization;
using HighPerfBatch;

namespace PackageConsumer;

/// <summary>The example event, declared the way a user declares one.</summary>
[Batched(MaxBatchSize = 100, FlushIntervalMilliseconds = 50, Format = BatchFormat.NdJson)]
public partial record struct PageView(
    long UserId, string Url, DateTimeOffset At, int? DurationMs,
    [property: JsonPropertyName("ok")] bool Succeeded);
