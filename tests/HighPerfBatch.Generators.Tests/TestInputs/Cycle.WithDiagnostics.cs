using HighPerfBatch;

namespace Tests;

[Batched]
public partial class TreeNode
{
    public string? Name { get; set; }

    public System.Collections.Generic.List<TreeNode>? Children { get; set; }
}

[Batched]
public partial record Order(Customer Buyer);

public sealed record Customer(Order? LastOrder);
