using System.Buffers;
using System.Text.Json;

namespace HighPerfBatch.Tests.Http;

/// <summary>The event of the HTTP tests.</summary>
public readonly record struct TestEvent(long Id, string Name, DateTimeOffset Timestamp)
{
    public static TestEvent Create(long id, int nameLength = 12)
        => new(id, new string((char)('a' + (int)(id % 26)), nameLength), new DateTimeOffset(2024, 10, 14, 5, 11, 6, TimeSpan.Zero).AddSeconds(id));

    public static TestEvent[] Range(int count, int start = 0, int nameLength = 12)
    {
        var events = new TestEvent[count];
        for (int i = 0; i < count; i++)
        {
            events[i] = Create(start + i, nameLength);
        }

        return events;
    }
}

/// <summary>A hand-written serializer standing in for the generated one (one Utf8JsonWriter per thread, reset per item).</summary>
public sealed class TestEventSerializer : IBatchSerializer<TestEvent>
{
    public static readonly TestEventSerializer NdJson = new(BatchFormat.NdJson);
    public static readonly TestEventSerializer JsonArray = new(BatchFormat.JsonArray);

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private TestEventSerializer(BatchFormat format) => Format = format;

    public string ContentType => Format == BatchFormat.NdJson ? "application/x-ndjson" : "application/json";

    public BatchFormat Format { get; }

    /// <summary>When set, WriteItem throws for the item with this id.</summary>
    public long? ThrowOnId { get; init; }

    public TestEventSerializer WithThrowOn(long id) => new(Format) { ThrowOnId = id };

    public void Write(ReadOnlySpan<TestEvent> items, IBufferWriter<byte> output)
    {
        WritePrefix(output);
        for (int i = 0; i < items.Length; i++)
        {
            WriteItem(in items[i], i == 0, output);
        }

        WriteSuffix(output);
    }

    public void WritePrefix(IBufferWriter<byte> output)
    {
        if (Format == BatchFormat.JsonArray)
        {
            WriteByte(output, (byte)'[');
        }
    }

    public void WriteItem(in TestEvent item, bool isFirst, IBufferWriter<byte> output)
    {
        if (item.Id == ThrowOnId)
        {
            throw new InvalidOperationException($"cannot serialize item {item.Id}");
        }

        if (Format == BatchFormat.JsonArray && !isFirst)
        {
            WriteByte(output, (byte)',');
        }

        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteNumber("id"u8, item.Id);
        writer.WriteString("name"u8, item.Name);
        writer.WriteString("timestamp"u8, item.Timestamp);
        writer.WriteEndObject();
        writer.Flush();

        if (Format == BatchFormat.NdJson)
        {
            WriteByte(output, (byte)'\n');
        }
    }

    public void WriteSuffix(IBufferWriter<byte> output)
    {
        if (Format == BatchFormat.JsonArray)
        {
            WriteByte(output, (byte)']');
        }
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
