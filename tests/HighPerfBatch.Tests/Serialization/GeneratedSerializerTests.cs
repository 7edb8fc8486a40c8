using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Telemetry;

namespace HighPerfBatch.Tests.Serialization;

public class GeneratedSerializerTests
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions s_snake = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly JsonSerializerOptions s_kebabUpper = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.KebabCaseUpper };

    private static string Write<T>(IBatchSerializer<T> serializer, ReadOnlySpan<T> items)
    {
        var output = new ArrayBufferWriter<byte>();
        serializer.Write(items, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string[] Lines(string ndjson)
    {
        Assert.EndsWith("\n", ndjson, StringComparison.Ordinal);
        return ndjson[..^1].Split('\n');
    }

    [Fact]
    public void PageView_batch_parses_to_the_same_values_as_System_Text_Json()
    {
        var items = Samples.PageViews(100);

        var lines = Lines(Write(PageViewBatchSerializer.Instance, items));

        Assert.Equal(items.Length, lines.Length);
        for (var i = 0; i < items.Length; i++)
        {
            JsonAssert.Equivalent(JsonSerializer.Serialize(items[i], s_web), lines[i]);
        }
    }

    [Fact]
    public void PageView_is_written_with_camel_case_names_and_the_JsonPropertyName_override()
    {
        var item = new PageView(42, "/a", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), null, true);

        var json = Write(PageViewBatchSerializer.Instance, [item]);

        Assert.Equal("{\"userId\":42,\"url\":\"/a\",\"at\":\"2024-01-02T03:04:05+00:00\",\"durationMs\":null,\"ok\":true}\n", json);
    }

    [Fact]
    public void Generated_types_expose_attribute_defaults_and_the_serializer_through_IBatchable()
    {
        Assert.Same(PageViewBatchSerializer.Instance, SerializerOf<PageView>());
        Assert.Equal(500, DefaultMaxBatchSizeOf<PageView>());
        Assert.Equal(TimeSpan.FromMilliseconds(200), DefaultFlushIntervalOf<PageView>());
        Assert.Null(DefaultMaxBatchSizeOf<Everything>());
        Assert.Null(DefaultFlushIntervalOf<Everything>());
        Assert.Equal(TimeSpan.FromMilliseconds(50), DefaultFlushIntervalOf<Outer.Inner>());
        Assert.Equal("application/x-ndjson", PageViewBatchSerializer.Instance.ContentType);
        Assert.Equal(BatchFormat.NdJson, PageViewBatchSerializer.Instance.Format);
        Assert.Equal("application/json", EverythingBatchSerializer.Instance.ContentType);
        Assert.Equal(BatchFormat.JsonArray, EverythingBatchSerializer.Instance.Format);
    }

    private static IBatchSerializer<T> SerializerOf<T>()
        where T : IBatchable<T> => T.BatchSerializer;

    private static int? DefaultMaxBatchSizeOf<T>()
        where T : IBatchable<T> => T.DefaultMaxBatchSize;

    private static TimeSpan? DefaultFlushIntervalOf<T>()
        where T : IBatchable<T> => T.DefaultFlushInterval;

    [Fact]
    public async Task Generated_batcher_takes_attribute_defaults_unless_options_set_them()
    {
        await using var withDefaults = new PageViewBatcher(new NullSink<PageView>());
        await using var overridden = new PageViewBatcher(new NullSink<PageView>(), new BatcherOptions { MaxBatchSize = 7 });
        await using var nested = new Outer.InnerBatcher(new NullSink<Outer.Inner>());

        Assert.Equal(500, withDefaults.Options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(200), withDefaults.Options.FlushInterval);
        Assert.Equal(7, overridden.Options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(200), overridden.Options.FlushInterval);
        Assert.Equal(BatcherOptions.DefaultMaxBatchSize, nested.Options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), nested.Options.FlushInterval);
    }

    [Fact]
    public async Task Generated_batcher_accepts_an_HttpClient_and_endpoint()
    {
        using var client = new HttpClient();
        await using var batcher = new PageViewBatcher(client, new Uri("http://127.0.0.1:1/ingest"));

        Assert.Equal(500, batcher.Options.MaxBatchSize);
    }

    [Fact]
    public void Every_supported_member_type_parses_to_the_same_values_as_System_Text_Json()
    {
        var item = Samples.Everything();
        var empty = new Everything();

        var json = Write(EverythingBatchSerializer.Instance, [item, empty, null!]);

        JsonAssert.Equivalent(JsonSerializer.Serialize(new[] { item, empty, null }, s_web), json);
    }

    [Fact]
    public void Enums_are_numbers_by_default_and_names_with_JsonStringEnumConverter()
    {
        var json = Write(EverythingBatchSerializer.Instance, [Samples.Everything() with { Permissions = (Permissions)64, LevelName = (Level)42 }]);

        using var document = JsonDocument.Parse(json);
        var element = document.RootElement[0];
        Assert.Equal(5, element.GetProperty("level").GetInt32());
        Assert.Equal(42, element.GetProperty("levelName").GetInt32());
        Assert.Equal("Blue", element.GetProperty("color").GetString());
        Assert.Equal("Debug", element.GetProperty("maybeLevel").GetString());
        JsonAssert.Equivalent(JsonSerializer.Serialize(new[] { Samples.Everything() with { Permissions = (Permissions)64, LevelName = (Level)42 } }, s_web), json);
    }

    [Fact]
    public void Flags_combinations_are_written_like_System_Text_Json()
    {
        var item = Samples.Everything() with { Permissions = Permissions.Read | Permissions.Write };

        var json = Write(EverythingBatchSerializer.Instance, [item]);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("Read, Write", document.RootElement[0].GetProperty("permissions").GetString());
    }

    [Fact]
    public void Byte_arrays_are_base64_strings()
    {
        var blob = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();

        var json = Write(EverythingBatchSerializer.Instance, [new Everything { Blob = blob }]);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(blob, document.RootElement[0].GetProperty("blob").GetBytesFromBase64());
    }

    [Fact]
    public void Naming_policy_JsonIgnore_JsonInclude_and_JsonPropertyOrder_are_honoured()
    {
        var options = s_snake;
        var rows = new[]
        {
            new ClickHouseRow { RowId = 1, XMLPayload = "<a/>", UserAgent = "curl", Secret = "s3cr3t", Optional = "o", Count = 3, EventTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
            new ClickHouseRow { RowId = 2 },
        };

        var lines = Lines(Write(ClickHouseRowBatchSerializer.Instance, rows));

        Assert.StartsWith("{\"event_time\":", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("optional", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("\"count\"", lines[1], StringComparison.Ordinal);
        for (var i = 0; i < rows.Length; i++)
        {
            JsonAssert.Equivalent(JsonSerializer.Serialize(rows[i], options), lines[i]);
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("a", null)]
    [InlineData(null, 0)]
    [InlineData(null, 5)]
    [InlineData("a", 5)]
    public void Conditionally_ignored_leading_properties_still_give_valid_JSON(string? first, int? second)
    {
        var options = s_kebabUpper;
        var item = new Sparse { FirstName = first, SecondValue = second, Last = true };

        var line = Lines(Write(SparseBatchSerializer.Instance, [item]))[0];

        JsonAssert.Equivalent(JsonSerializer.Serialize(item, options), line);
    }

    [Fact]
    public void Json_array_format_writes_one_array_and_an_empty_batch_as_empty_array()
    {
        Assert.Equal("[]", Write(EverythingBatchSerializer.Instance, []));
        Assert.Equal(string.Empty, Write(PageViewBatchSerializer.Instance, []));
    }

    [Fact]
    public void Item_by_item_writing_gives_the_same_bytes_as_Write()
    {
        var everything = new[] { Samples.Everything(), new Everything(), Samples.Everything() };
        var pageViews = Samples.PageViews(10);

        Assert.Equal(Write(EverythingBatchSerializer.Instance, everything), WriteItemByItem(EverythingBatchSerializer.Instance, everything));
        Assert.Equal(Write(PageViewBatchSerializer.Instance, pageViews), WriteItemByItem(PageViewBatchSerializer.Instance, pageViews));
    }

    private static string WriteItemByItem<T>(IBatchSerializer<T> serializer, T[] items)
    {
        var output = new ArrayBufferWriter<byte>();
        serializer.WritePrefix(output);
        for (var i = 0; i < items.Length; i++)
        {
            serializer.WriteItem(in items[i], i == 0, output);
        }

        serializer.WriteSuffix(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Nested_batched_type_gets_its_generated_types_beside_it()
    {
        var json = Write(Outer.InnerBatchSerializer.Instance, [new Outer.Inner("n", Level.Info)]);

        Assert.Equal("{\"name\":\"n\",\"level\":1}\n", json);
    }

    [Fact]
    public void A_tiny_buffer_writer_gives_the_same_bytes_as_a_large_one()
    {
        var items = new[] { Samples.Everything() with { Text = new string('é', 40_000) + "\"\n" + new string('x', 20_000) }, Samples.Everything() };
        var expected = Write(EverythingBatchSerializer.Instance, items);

        var tiny = new TinyBufferWriter();
        EverythingBatchSerializer.Instance.Write(items, tiny);

        Assert.Equal(expected, Encoding.UTF8.GetString(tiny.Written.ToArray()));
    }

    [Fact]
    public void A_batch_is_committed_with_one_Advance_when_the_buffer_is_large_enough()
    {
        var output = new CountingBufferWriter(1 << 20);

        PageViewBatchSerializer.Instance.Write(Samples.PageViews(1000), output);

        Assert.Equal(1, output.Advances);
    }

    private sealed class NullSink<T> : IBatchSink<T>
    {
        public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken) => default;
    }

    // Returns spans of exactly the size asked for (at least one byte), the hardest case for a writer's buffer handling.
    private sealed class TinyBufferWriter : IBufferWriter<byte>
    {
        private byte[] _current = [];

        public List<byte> Written { get; } = [];

        public void Advance(int count) => Written.AddRange(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }

    private sealed class CountingBufferWriter(int capacity) : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new(capacity);

        public int Advances { get; private set; }

        public void Advance(int count)
        {
            Advances++;
            _inner.Advance(count);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);
    }
}
