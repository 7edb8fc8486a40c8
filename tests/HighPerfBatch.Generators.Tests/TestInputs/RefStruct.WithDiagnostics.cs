using HighPerfBatch;

namespace Tests;

[Batched]
public ref partial struct Stacky
{
    public int Value { get; set; }
}
