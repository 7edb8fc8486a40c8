using System.Text.Json.Serialization;
using HighPerfBatch;

namespace Shop.Telemetry;

// The usage of the issue, as written.
[Batched(MaxBatchSize = 500, FlushIntervalMilliseconds = 200, Format = BatchFormat.NdJson)]
public partial record struct PageView(
    long UserId, string Url, DateTimeOffset At, int? DurationMs,
    [property: JsonPropertyName("ok")] bool Succeeded);

public enum Level
{
    Debug,
    Info,
    Warning = 5,
}

[Flags]
public enum Permissions : byte
{
    None = 0,
    Read = 1,
    Write = 2,
}

[JsonConverter(typeof(JsonStringEnumConverter))]
public enum Color : long
{
    Red = -1,
    Green = 0,
    Blue = 1L << 40,
}

public sealed class Address
{
    public string? Street { get; set; }

    public int Number { get; set; }

    public GeoPoint? Location { get; set; }
}

public readonly record struct GeoPoint(double Latitude, double Longitude);

// Every supported member type, written as one JSON array.
[Batched(Format = BatchFormat.JsonArray)]
public sealed partial record Everything
{
    public bool Flag { get; init; }
    public byte U8 { get; init; }
    public sbyte I8 { get; init; }
    public short I16 { get; init; }
    public ushort U16 { get; init; }
    public int I32 { get; init; }
    public uint U32 { get; init; }
    public long I64 { get; init; }
    public ulong U64 { get; init; }
    public float F32 { get; init; }
    public double F64 { get; init; }
    public decimal Money { get; init; }
    public char Letter { get; init; }
    public string? Text { get; init; }
    public Guid Id { get; init; }
    public DateTime When { get; init; }
    public DateTimeOffset WhenOffset { get; init; }
    public DateOnly Day { get; init; }
    public TimeOnly Time { get; init; }
    public TimeSpan Elapsed { get; init; }
    public Level Level { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Level LevelName { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Permissions Permissions { get; init; }
    public Color Color { get; init; }
    public int? MaybeNumber { get; init; }
    public Guid? MaybeId { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Level? MaybeLevel { get; init; }
    public int[]? Numbers { get; init; }
    public byte[]? Blob { get; init; }
    public List<string?>? Tags { get; init; }
    public IReadOnlyList<DateTimeOffset>? Times { get; init; }
    public IReadOnlyDictionary<string, int>? Counters { get; init; }
    public Dictionary<string, Address?>? Addresses { get; init; }
    public Address? Home { get; init; }
    public GeoPoint Point { get; init; }
    public GeoPoint? MaybePoint { get; init; }
    public List<int[]>? Matrix { get; init; }
    public IEnumerable<Level>? LevelSequence { get; init; }
    public HashSet<string>? UniqueTags { get; init; }
    public Half Tiny { get; init; }
    public Int128 Huge { get; init; }
    public UInt128 HugeUnsigned { get; init; }
}

// Naming policies, [JsonIgnore] in its forms, [JsonInclude] fields, [JsonPropertyOrder].
[Batched(NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class ClickHouseRow
{
#pragma warning disable CA1051 // a [JsonInclude] field is what this type exercises
    [JsonInclude]
    public long RowId;
#pragma warning restore CA1051

    public string? XMLPayload { get; set; }

    public string? UserAgent { get; set; }

    [JsonIgnore]
    public string? Secret { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Optional { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Count { get; set; }

    [JsonPropertyOrder(-1)]
    public DateTime EventTime { get; set; }

    public int ComputedTwice => Count * 2;

    public string? this[int index] => null;

    internal string? NotSerialized { get; set; }
}

// A type whose first properties may all be left out: the comma before the next one is decided at run time.
[Batched(NamingPolicy = JsonKnownNamingPolicy.KebabCaseUpper)]
public partial struct Sparse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FirstName { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int? SecondValue { get; set; }

    public bool Last { get; set; }
}

public partial class Outer
{
    // Nested: the batcher and serializer are generated as Outer.InnerBatcher and Outer.InnerBatchSerializer.
    [Batched(FlushIntervalMilliseconds = 50)]
    internal sealed partial record Inner(string Name, Level Level);
}

// The shape the property-based test throws hostile values at.
[Batched(Format = BatchFormat.JsonArray)]
public sealed partial record Hostile(
    string? Text,
    char Letter,
    double Real,
    float Small,
    decimal Money,
    long Whole,
    ulong Big,
    DateTime When,
    DateTimeOffset WhenOffset,
    TimeSpan Elapsed,
    DateOnly Day,
    TimeOnly Time,
    List<string>? Texts,
    Dictionary<string, double?>? Measures);

// Sent end to end through the generated batcher and the HTTP sink (the test receiver reads "id").
[Batched(MaxBatchSize = 100, FlushIntervalMilliseconds = 20)]
public partial record struct Shipped(long Id, string Sku, DateTimeOffset At, [property: JsonPropertyName("qty")] int Quantity);
