using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators;

/// <summary>Skeleton: the generator lands with the generator issue.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class BatchedGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
