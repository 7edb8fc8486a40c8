using System.Buffers;
using System.Text.Json;

namespace HighPerfBatch.Benchmarks;

/// <summary>The serializer "ours" benchmarks use: the generated one once the generator is on main.</summary>
internal static class Serializers
{
#if HPB_GENERATED
    public static IBatchSerializer<BenchEvent> Ours => BenchEventBatchSerializer.Instance;
#else
    // TODO(bench): the generator (issue 3) is not on main yet; this stands in with the same NDJSON.
    public static IBatchSerializer<BenchEvent> Ours => InterimBenchEventSerializer.Instance;
#endif
}

#if !HPB_GENERATED
internal sealed class InterimBenchEventSerializer : IBatchSerializer<BenchEvent>
{
    public static readonly InterimBenchEventSerializer Instance = new();

    private static readonly JsonEncodedText AddedTicks = JsonEncodedText.Encode("addedTicks");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText UserId = JsonEncodedText.Encode("userId");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("durationMs");
    private static readonly JsonEncodedText Success = JsonEncodedText.Encode("success");

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public string ContentType => "application/x-ndjson";

    public BatchFormat Format => BatchFormat.NdJson;

    public void Write(ReadOnlySpan<BenchEvent> items, IBufferWriter<byte> output)
    {
        for (int i = 0; i < items.Length; i++)
        {
            WriteItem(in items[i], i == 0, output);
        }
    }

    public void WritePrefix(IBufferWriter<byte> output)
    {
    }

    public void WriteItem(in BenchEvent item, bool isFirst, IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteNumber(AddedTicks, item.AddedTicks);
        writer.WriteNumber(Id, item.Id);
        writer.WriteNumber(UserId, item.UserId);
        writer.WriteString(Kind, item.Kind);
        writer.WriteNumber(DurationMs, item.DurationMs);
        writer.WriteBoolean(Success, item.Success);
        writer.WriteEndObject();
        writer.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    public void WriteSuffix(IBufferWriter<byte> output)
    {
    }
}
#endif
