using System.Text.Json.Serialization;

namespace HighPerfBatch.Tests.ClickHouseTests.Documented;

// Verbatim from README.md ("2. The event type"); ClickHouseDocumentationTests checks the
// doc still declares exactly this.
[Batched(MaxBatchSize = 10_000, FlushIntervalMilliseconds = 1_000, NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial record struct PageView(ulong Id, string Url, double DurationMs, bool IsBot, DateTimeOffset CreatedAt, string? Referrer);
