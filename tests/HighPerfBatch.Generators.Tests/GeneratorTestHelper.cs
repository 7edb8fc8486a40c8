using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using HighPerfBatch.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HighPerfBatch.Generators.Tests;

/// <summary>Drives <see cref="BatchedGenerator"/> with <see cref="CSharpGeneratorDriver"/> over the .NET 10 reference assemblies.</summary>
internal static class GeneratorTestHelper
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(BatchedAttribute).Assembly.Location),
    ];

    // What a project with <GenerateDocumentationFile> compiles with: missing XML docs on public members are reported.
    public static readonly CSharpParseOptions DocumentedParseOptions = ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(ParseOptions, sources);

    public static CSharpCompilation CreateCompilation(CSharpParseOptions parseOptions, params string[] sources)
        => CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"Input{i}.cs")),
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null)
        => CSharpGeneratorDriver.Create(
            [new BatchedGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorResult Run(params string[] sources) => Run(ParseOptions, sources);

    public static GeneratorResult Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        var compilation = CreateCompilation(parseOptions, sources);
        var driver = CreateDriver(parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorResult(driver, driver.GetRunResult(), output, generatorDiagnostics);
    }

    public static string ReadInput(string name)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestInputs", name));

    public static string ProjectDirectory()
        => typeof(GeneratorTestHelper).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ProjectDirectory").Value!;
}

internal sealed record GeneratorResult(GeneratorDriver Driver, GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public ImmutableArray<Diagnostic> OutputErrorsAndWarnings
        => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    public IReadOnlyList<object?> TrackedOutputs(string stepName)
        => RunResult.Results.Single().TrackedSteps.TryGetValue(stepName, out var steps)
            ? steps.SelectMany(step => step.Outputs).Select(output => output.Value).ToList()
            : [];
}
