using System.Text.Json.Serialization;

namespace Shop.Telemetry;

[HighPerfBatch.Batched(MaxBatchSize = 500, FlushIntervalMilliseconds = 200, Format = HighPerfBatch.BatchFormat.NdJson)]
public partial record struct PageView(
    long UserId, string Url, DateTimeOffset At, int? DurationMs,
    [property: JsonPropertyName("ok")] bool Succeeded);
