using HighPerfBatch;

namespace Tests;

[Batched]
public partial record Event(int Id, object Payload, System.Uri Link, int[,] Grid, System.Collections.Generic.Dictionary<int, string> ByNumber);

[Batched]
public partial class WithNestedProblem
{
    public Inner Child { get; set; } = new();
}

public sealed class Inner
{
    public System.Action? Callback { get; set; }
}
