using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;

namespace HighPerfBatch.Benchmarks;

// The event of the generator issue.
[Batched(MaxBatchSize = 500, FlushIntervalMilliseconds = 200, Format = BatchFormat.NdJson)]
public partial record struct PageView(
    long UserId, string Url, DateTimeOffset At, int? DurationMs,
    [property: JsonPropertyName("ok")] bool Succeeded);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PageView))]
internal sealed partial class PageViewJsonContext : JsonSerializerContext;

/// <summary>
/// A 1,000-event <see cref="PageView"/> batch written as NDJSON into the same <see cref="IBufferWriter{T}"/> by
/// System.Text.Json (reflection), System.Text.Json (source-generated fast path) and the [Batched] serializer.
/// The System.Text.Json rows reuse one <see cref="Utf8JsonWriter"/> (Reset per item), their cheapest NDJSON loop.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private const int BatchSize = 1000;

    private static readonly JsonSerializerOptions s_reflectionOptions = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private PageView[] _items = [];
    private Utf8JsonWriter _jsonWriter = null!;
    private JsonTypeInfo<PageView> _reflectionInfo = null!;

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);
        _items = new PageView[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            _items[i] = new PageView(
                UserId: 1_000_000L + i,
                Url: "https://shop.example.com/products/" + i + "?ref=home&utm_source=newsletter",
                At: start.AddMilliseconds(i * 137.0),
                DurationMs: i % 5 == 0 ? null : i * 3,
                Succeeded: i % 7 != 0);
        }

        _jsonWriter = new Utf8JsonWriter(_output, new JsonWriterOptions { SkipValidation = true });
        _reflectionInfo = (JsonTypeInfo<PageView>)s_reflectionOptions.GetTypeInfo(typeof(PageView));
    }

    [GlobalCleanup]
    public void Cleanup() => _jsonWriter.Dispose();

    [Benchmark(Description = "STJ reflection")]
    public int SystemTextJsonReflection() => WriteWithSystemTextJson(_reflectionInfo);

    [Benchmark(Description = "STJ source-gen", Baseline = true)]
    public int SystemTextJsonSourceGenerated() => WriteWithSystemTextJson(PageViewJsonContext.Default.PageView);

    [Benchmark(Description = "[Batched] generated")]
    public int Generated()
    {
        _output.ResetWrittenCount();
        PageViewBatchSerializer.Instance.Write(_items, _output);
        return _output.WrittenCount;
    }

    private int WriteWithSystemTextJson(JsonTypeInfo<PageView> typeInfo)
    {
        _output.ResetWrittenCount();
        _jsonWriter.Reset(_output);
        foreach (var item in _items)
        {
            JsonSerializer.Serialize(_jsonWriter, item, typeInfo);
            _jsonWriter.Flush();
            _output.GetSpan(1)[0] = (byte)'\n';
            _output.Advance(1);
            _jsonWriter.Reset(_output);
        }

        return _output.WrittenCount;
    }
}
