using System.Globalization;
using System.Text.Json.Serialization;

namespace HighPerfBatch.Tests.ClickHouseTests;

/// <summary>The event of the ClickHouse tests: snake_case fields (generated) that meet the table's columns.</summary>
[Batched(NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public readonly partial record struct PageView(ulong Id, byte Producer, string Url, double DurationMs, bool IsBot, DateTimeOffset CreatedAt, string? Referrer)
{
    public const string Columns = "id UInt64, producer UInt8, url String, duration_ms Float64, is_bot UInt8, created_at DateTime, referrer Nullable(String)";

    private static readonly DateTimeOffset Epoch = new(2024, 10, 14, 5, 11, 6, TimeSpan.Zero);

    public static PageView Create(ulong id, byte producer) => new(
        id,
        producer,
        (id % 5) switch { 0 => "/home", 1 => "/search?q=\"quoted\"", 2 => "/caf\u00e9/\u65e5\u672c", 3 => "/path\\with\\backslashes", _ => $"/item/{id}" },
        (id % 1000) * 0.25,
        id % 3 == 0,
        Epoch.AddSeconds(id).ToOffset(id % 2 == 0 ? TimeSpan.Zero : TimeSpan.FromHours(2)),
        id % 4 == 0 ? null : "https://example.com/?from=" + id);
}

/// <summary>
/// The same row with its id as text, as a producer that forwards upstream strings would send it: ClickHouse parses a
/// quoted number into <c>UInt64</c>, and refuses the whole batch (Code 27) when one id is not a number.
/// </summary>
[Batched(NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public readonly partial record struct PageViewWithTextId(string Id, byte Producer, string Url, double DurationMs, bool IsBot, DateTimeOffset CreatedAt, string? Referrer)
{
    public static PageViewWithTextId From(PageView view, string? id = null) => new(
        id ?? view.Id.ToString(CultureInfo.InvariantCulture), view.Producer, view.Url, view.DurationMs, view.IsBot, view.CreatedAt, view.Referrer);
}
