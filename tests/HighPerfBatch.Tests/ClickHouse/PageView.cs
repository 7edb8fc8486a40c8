using System.Buffers;
using System.Text.Json;

namespace HighPerfBatch.Tests.ClickHouseTests;

/// <summary>The event of the ClickHouse tests: snake_case fields that meet the table's columns.</summary>
public readonly record struct PageView(ulong Id, byte Producer, string Url, double DurationMs, bool IsBot, DateTimeOffset CreatedAt, string? Referrer)
{
    public const string Columns = "id UInt64, producer UInt8, url String, duration_ms Float64, is_bot UInt8, created_at DateTime, referrer Nullable(String)";

    private static readonly DateTimeOffset Epoch = new(2024, 10, 14, 5, 11, 6, TimeSpan.Zero);

    /// <summary>Writes <c>"id":"not-a-number"</c>: a row ClickHouse cannot parse (Code 27).</summary>
    public bool Poison { get; init; }

    public static PageView Create(ulong id, byte producer) => new(
        id,
        producer,
        (id % 5) switch { 0 => "/home", 1 => "/search?q=\"quoted\"", 2 => "/caf\u00e9/\u65e5\u672c", 3 => "/path\\with\\backslashes", _ => $"/item/{id}" },
        (id % 1000) * 0.25,
        id % 3 == 0,
        Epoch.AddSeconds(id).ToOffset(id % 2 == 0 ? TimeSpan.Zero : TimeSpan.FromHours(2)),
        id % 4 == 0 ? null : "https://example.com/?from=" + id);
}

/// <summary>Stand-in for the generated serializer: NDJSON (JSONEachRow), snake_case.</summary>
public sealed class PageViewSerializer : IBatchSerializer<PageView>
{
    public static readonly PageViewSerializer Instance = new();

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public string ContentType => "application/x-ndjson";

    public BatchFormat Format => BatchFormat.NdJson;

    public void Write(ReadOnlySpan<PageView> items, IBufferWriter<byte> output)
    {
        for (int i = 0; i < items.Length; i++)
        {
            WriteItem(items[i], i == 0, output);
        }
    }

    public void WritePrefix(IBufferWriter<byte> output)
    {
    }

    public void WriteItem(in PageView item, bool isFirst, IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(output);
        writer.WriteStartObject();
        if (item.Poison)
        {
            writer.WriteString("id"u8, "not-a-number");
        }
        else
        {
            writer.WriteNumber("id"u8, item.Id);
        }

        writer.WriteNumber("producer"u8, item.Producer);
        writer.WriteString("url"u8, item.Url);
        writer.WriteNumber("duration_ms"u8, item.DurationMs);
        writer.WriteBoolean("is_bot"u8, item.IsBot);
        writer.WriteString("created_at"u8, item.CreatedAt);
        if (item.Referrer is null)
        {
            writer.WriteNull("referrer"u8);
        }
        else
        {
            writer.WriteString("referrer"u8, item.Referrer);
        }

        writer.WriteEndObject();
        writer.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    public void WriteSuffix(IBufferWriter<byte> output)
    {
    }
}
