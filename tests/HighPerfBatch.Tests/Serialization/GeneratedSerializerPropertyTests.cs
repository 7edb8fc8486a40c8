using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CsCheck;
using Shop.Telemetry;

namespace HighPerfBatch.Tests.Serialization;

public class GeneratedSerializerPropertyTests
{
    // System.Text.Json refuses NaN and infinities unless asked to write them as strings; the generated serializer writes
    // them as null (documented), so the oracle's output is patched to null where that happens.
    private static readonly JsonSerializerOptions s_oracle = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly Gen<string> s_hostileString = Gen.Frequency(
            (4, Gen.Char['\0', '\u007f'].Select(c => c.ToString())),
            (2, Gen.Char.Select(c => c.ToString())), // the full UTF-16 range: lone surrogates included
            (3, Gen.OneOf("\"", "\\", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001f", "\u007f", "😀", "👩‍👩‍👧", "é", "中", "\u2028", "\u2029", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "<", ">", "&", "'", "\uFFFD", "\uFEFF")))
        .Array[0, 60]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<double> s_double = Gen.Frequency(
        (6, Gen.Double),
        (1, Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.0, -0.0, 0.1, 1e-300, 1e300)));

    private static readonly Gen<float> s_float = Gen.Frequency(
        (6, Gen.Float),
        (1, Gen.OneOf(float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, float.MinValue, -0f)));

    private static readonly Gen<Hostile> s_hostile =
        Gen.Select(
            Gen.Select(s_hostileString.Null(), Gen.Char, s_double, s_float, Gen.Decimal, Gen.Long, Gen.ULong),
            Gen.Select(Gen.DateTime, Gen.DateTimeOffset, Gen.TimeSpan, Gen.DateOnly, Gen.TimeOnly),
            Gen.Select(s_hostileString.List[0, 5].Null(), Gen.Dictionary(s_hostileString, s_double.Nullable())[0, 5].Null()),
            (a, b, c) => new Hostile(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, b.Item1, b.Item2, b.Item3, b.Item4, b.Item5, c.Item1, c.Item2));

    [Fact]
    public void Random_hostile_values_always_give_valid_JSON_with_the_values_System_Text_Json_writes()
    {
        s_hostile.Array[1, 8].Sample(items =>
        {
            var output = new ArrayBufferWriter<byte>();
            HostileBatchSerializer.Instance.Write(items, output);
            var actual = Encoding.UTF8.GetString(output.WrittenSpan);

            var expected = JsonNode.Parse(JsonSerializer.Serialize(items, s_oracle))!.AsArray();
            foreach (var item in expected)
            {
                NullNamedFloats(item!.AsObject());
            }

            JsonAssert.Equivalent(expected.ToJsonString(), actual);
        }, iter: 2000, threads: 1); // on the test thread: no thread-pool work that could skew other tests' allocation counts
    }

    [Fact]
    public void Random_hostile_values_give_the_same_bytes_through_a_buffer_writer_of_tiny_spans()
    {
        s_hostile.Sample(item =>
        {
            var large = new ArrayBufferWriter<byte>();
            HostileBatchSerializer.Instance.Write([item], large);
            var tiny = new TinyBufferWriter();
            HostileBatchSerializer.Instance.Write([item], tiny);

            Assert.Equal(large.WrittenSpan.ToArray(), tiny.Written.ToArray());
        }, iter: 500, threads: 1);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("\"")]
    [InlineData("😀")]
    [InlineData("\uD800")]
    [InlineData("\n\\é")]
    public void One_megabyte_strings_round_trip(string unit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, (1 << 20) / unit.Length));
        var item = new Hostile(text, 'x', 0, 0, 0, 0, 0, default, default, default, default, default, [text], new() { [text] = 1 });

        var output = new ArrayBufferWriter<byte>();
        HostileBatchSerializer.Instance.Write([item], output);

        using var document = JsonDocument.Parse(output.WrittenMemory);
        var expected = JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(text, s_oracle)); // lone surrogates -> U+FFFD
        var element = document.RootElement[0];
        Assert.Equal(expected, element.GetProperty("text").GetString());
        Assert.Equal(expected, element.GetProperty("texts")[0].GetString());
        Assert.Equal(expected, element.GetProperty("measures").EnumerateObject().Single().Name);
    }

    private static void NullNamedFloats(JsonObject item)
    {
        foreach (var name in new[] { "real", "small" })
        {
            if (item[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                item[name] = null;
            }
        }

        if (item["measures"] is JsonObject measures)
        {
            foreach (var key in measures.Select(p => p.Key).ToArray())
            {
                if (measures[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    measures[key] = null;
                }
            }
        }
    }

    private sealed class TinyBufferWriter : IBufferWriter<byte>
    {
        private byte[] _current = [];

        public List<byte> Written { get; } = [];

        public void Advance(int count) => Written.AddRange(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
