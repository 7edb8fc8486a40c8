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
    [InlineData("README.md", "Quick start")]
    [InlineData("README.md", "Sending to ClickHouse")]
    public void CSharp_snippets_compile_as_pasted(string document, string section)
    {
        string markdown = Section(File.ReadAllText(Path.Combine(GeneratorTestHelper.ProjectDirectory(), "..", "..", document)), section);
        string[] snippets = CSharpBlock().Matches(markdown).Select(m => m.Groups["code"].Value).ToArray();
        Assert.NotEmpty(snippets);

        var compilation = GeneratorTestHelper.CreateCompilation([ImplicitUsings, .. snippets])
            .WithOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorTestHelper.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();
        Assert.True(problems.Length == 0, $"{document}, {section}:\n" + string.Join("\n", problems));
    }

    /// <summary>The text of the <c>## </c> section with the given title, up to the next one.</summary>
    private static string Section(string markdown, string title)
    {
        int start = markdown.IndexOf("\n## " + title + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{title}'");
        int end = markdown.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    [GeneratedRegex(@"^```csharp\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
