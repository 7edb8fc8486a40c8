using System.Text.Json.Serialization;
using HighPerfBatch;

namespace Tests;

[Batched]
public partial class Hidden
{
    [JsonInclude]
    private int _secret;

    [JsonInclude]
    private string? Name { get; set; }

    public int Visible => _secret;
}
