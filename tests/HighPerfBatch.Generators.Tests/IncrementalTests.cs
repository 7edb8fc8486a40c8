using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HighPerfBatch.Generators.Tests;

public class IncrementalTests
{
    private const string Event = """
        using System;
        using HighPerfBatch;

        namespace Shop;

        [Batched(MaxBatchSize = 10)]
        public partial record struct Clicked(long UserId, string Target, DateTimeOffset At);
        """;

    private const string Other = """
        namespace Shop;

        public static class Unrelated
        {
            public static int Answer() => 42;
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorTestHelper.CreateCompilation(Event, Other);
        var driver = GeneratorTestHelper.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step)
        => driver.GetRunResult().Results.Single().TrackedSteps[step]
            .SelectMany(s => s.Outputs)
            .Select(o => o.Reason)
            .ToArray();

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string source)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorTestHelper.ParseOptions, old.FilePath));
    }

    [Fact]
    public void Running_again_on_the_same_compilation_leaves_every_step_cached()
    {
        var (driver, compilation) = FirstRun();

        driver = driver.RunGenerators(compilation.Clone());

        // The transform of ForAttributeWithMetadataName reruns for a new compilation object; its result compares equal.
        Assert.All(Reasons(driver, TrackingNames.Parse), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(driver, TrackingNames.Model), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void An_unrelated_edit_in_another_file_leaves_the_outputs_cached()
    {
        var (driver, compilation) = FirstRun();

        driver = driver.RunGenerators(Replace(compilation, 1, Other.Replace("42", "43", StringComparison.Ordinal)));

        Assert.All(Reasons(driver, TrackingNames.Model), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        var sourceOutputs = driver.GetRunResult().Results.Single().TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs);
        Assert.All(sourceOutputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void An_edit_that_does_not_change_the_model_leaves_it_unchanged()
    {
        var (driver, compilation) = FirstRun();

        // Same type, different trivia and a comment: the parse step reruns, its model compares equal.
        driver = driver.RunGenerators(Replace(compilation, 0, Event.Replace("public partial", "// a comment\npublic  partial", StringComparison.Ordinal)));

        Assert.All(Reasons(driver, TrackingNames.Model), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void A_real_change_to_the_type_reruns_the_model()
    {
        var (driver, compilation) = FirstRun();

        driver = driver.RunGenerators(Replace(compilation, 0, Event.Replace("string Target", "string Target, int Count", StringComparison.Ordinal)));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, TrackingNames.Model));
        var generated = driver.GetRunResult().GeneratedTrees.Single().GetText().ToString();
        Assert.Contains("\"count\"u8", generated, StringComparison.Ordinal);
    }
}
