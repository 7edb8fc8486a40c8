using HighPerfBatch;

namespace Tests;

[Batched]
public static partial class Constants
{
    public static int Value => 1;
}
