using HighPerfBatch;

namespace Tests;

[Batched]
public partial record Envelope<T>(T Value);

public partial class Holder<T>
{
    [Batched]
    public partial record Nested(int Value);
}
