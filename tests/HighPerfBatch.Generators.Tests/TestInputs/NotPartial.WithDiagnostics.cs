using HighPerfBatch;

namespace Tests;

[Batched]
public record struct NotPartial(int Value);

public class Container
{
    [Batched]
    public partial record InNonPartial(int Value);
}
