using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using HighPerfBatch;

namespace Tests;

[Batched]
public partial class Converted
{
    [JsonConverter(typeof(UpperConverter))]
    public string? Name { get; set; }
}

public sealed class UpperConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToUpperInvariant());
}
