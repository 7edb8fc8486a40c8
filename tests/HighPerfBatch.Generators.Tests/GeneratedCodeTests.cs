namespace HighPerfBatch.Generators.Tests;

/// <summary>The generated code compiles, with no warning, for every way a [Batched] type can be declared.</summary>
public class GeneratedCodeTests
{
    [Theory]
    [InlineData("public readonly partial record struct E(int X);")]
    [InlineData("public sealed partial record E(int X);")]
    [InlineData("public partial record class E(int X);")]
    [InlineData("internal partial struct E { public int X { get; init; } }")]
    [InlineData("public abstract partial class E { public int X { get; set; } }")]
    [InlineData("public partial class E { public int @class { get; set; } public string? @event { get; set; } }")]
    [InlineData("public partial record E(System.Collections.Generic.IReadOnlyList<System.Collections.Generic.IReadOnlyDictionary<string, int?[]>> Deep);")]
    public void Generated_code_compiles_without_warnings(string declaration)
    {
        var result = GeneratorTestHelper.Run("namespace N;\n[HighPerfBatch.Batched]\n" + declaration);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Single(result.RunResult.GeneratedTrees);
        Assert.Empty(result.OutputErrorsAndWarnings);
    }

    [Fact]
    public void Nested_types_in_records_structs_and_interfaces_compile()
    {
        var result = GeneratorTestHelper.Run("""
            namespace N;
            public partial record Outer
            {
                public partial struct Middle
                {
                    public partial interface IHolder
                    {
                        [HighPerfBatch.Batched]
                        public partial record struct Inner(int X);
                    }
                }
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrorsAndWarnings);
    }

    [Fact]
    public void Two_batched_types_using_the_same_nested_type_each_get_one_file()
    {
        var result = GeneratorTestHelper.Run("""
            namespace N;
            public sealed class Shared { public int X { get; set; } }
            [HighPerfBatch.Batched] public partial record A(Shared S);
            [HighPerfBatch.Batched] public partial record B(Shared S, Shared T);
            """);

        Assert.Equal(["N.A.g.cs", "N.B.g.cs"], result.RunResult.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
        Assert.Empty(result.OutputErrorsAndWarnings);
    }

    [Fact]
    public void Every_public_generated_member_has_XML_documentation()
    {
        var result = GeneratorTestHelper.Run(GeneratorTestHelper.DocumentedParseOptions, """
            namespace N;

            /// <summary>An event.</summary>
            /// <param name="X">A value.</param>
            [HighPerfBatch.Batched(MaxBatchSize = 5, FlushIntervalMilliseconds = 5)]
            public partial record struct E(int X);
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrorsAndWarnings);
    }
}
