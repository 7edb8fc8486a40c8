using System.Text.Json.Serialization;
using HighPerfBatch;

namespace Tests;

[Batched]
public partial record struct Clash(int Id, [property: JsonPropertyName("id")] int OtherId);
