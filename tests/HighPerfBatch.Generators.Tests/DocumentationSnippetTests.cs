using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HighPerfBatch.Generators.Tests;

/// <summary>
/// The C# snippets of the docs compile, as pasted, against the current API and generator: each <c>```csharp</c> block
/// is one file of a console project with the SDK's implicit usings.
/// </summary>
public partial class DocumentationSnippetTests
{
    // The global usings that Microsoft.NET.Sdk adds with <ImplicitUsings>enable</ImplicitUsings>.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    [Theory]
    [InlineData("src/HighPerfBatch/Http/CLICKHOUSE.md")]
    public void CSharp_snippets_compile_as_pasted(string document)
    {
        string markdown = File.ReadAllText(Path.Combine(GeneratorTestHelper.ProjectDirectory(), "..", "..", document));
        string[] snippets = CSharpBlock().Matches(markdown).Select(m => m.Groups["code"].Value).ToArray();
        Assert.NotEmpty(snippets);

        var compilation = GeneratorTestHelper.CreateCompilation([ImplicitUsings, .. snippets])
            .WithOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorTestHelper.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();
        Assert.True(problems.Length == 0, $"{document}:\n" + string.Join("\n", problems));
    }

    [GeneratedRegex(@"^```csharp\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
