using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators.Tests;

public class DiagnosticTests
{
    private static (List<Diagnostic> Diagnostics, GeneratorResult Result) Diagnose(string input)
    {
        var source = GeneratorTestHelper.ReadInput(input);
        var result = GeneratorTestHelper.Run(source);
        return (result.GeneratorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToList(), result);
    }

    private static string At(Diagnostic diagnostic)
        => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static void AssertDiagnostic(Diagnostic diagnostic, string id, string location, params string[] messageParts)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(location, At(diagnostic));
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var part in messageParts)
        {
            Assert.Contains(part, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HPB001_is_reported_at_a_type_that_is_not_partial_or_is_nested_in_a_non_partial_type()
    {
        var (diagnostics, result) = Diagnose("NotPartial.WithDiagnostics.cs");

        Assert.Equal(2, diagnostics.Count);
        AssertDiagnostic(diagnostics[0], "HPB001", "NotPartial", "'NotPartial'", "add the 'partial' modifier to 'NotPartial'");
        AssertDiagnostic(diagnostics[1], "HPB001", "InNonPartial", "add the 'partial' modifier to 'Container'");
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

    [Fact]
    public void HPB002_is_reported_at_each_member_of_an_unsupported_type_and_names_the_type()
    {
        var (diagnostics, result) = Diagnose("UnsupportedMember.WithDiagnostics.cs");

        Assert.Equal(5, diagnostics.Count);
        AssertDiagnostic(diagnostics[0], "HPB002", "Payload", "'Payload'", "'object'", "[JsonIgnore]");
        AssertDiagnostic(diagnostics[1], "HPB002", "Link", "'System.Uri'");
        AssertDiagnostic(diagnostics[2], "HPB002", "Grid", "'int[*,*]'", "one-dimensional");
        AssertDiagnostic(diagnostics[3], "HPB002", "ByNumber", "Dictionary<int, string>", "keys must be string");
        AssertDiagnostic(diagnostics[4], "HPB002", "Callback", "'System.Action?'");
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

    [Fact]
    public void HPB003_is_reported_at_an_invalid_attribute_argument()
    {
        var (diagnostics, _) = Diagnose("InvalidArguments.WithDiagnostics.cs");

        Assert.Equal(5, diagnostics.Count);
        AssertDiagnostic(diagnostics[0], "HPB003", "MaxBatchSize = 0", "MaxBatchSize = 0", "between 1 and 1048576");
        AssertDiagnostic(diagnostics[1], "HPB003", "FlushIntervalMilliseconds = -5", "FlushIntervalMilliseconds = -5", "positive");
        AssertDiagnostic(diagnostics[2], "HPB003", "MaxBatchSize = 2000000", "MaxBatchSize = 2000000");
        AssertDiagnostic(diagnostics[3], "HPB003", "Format = (BatchFormat)7", "BatchFormat.NdJson");
        AssertDiagnostic(diagnostics[4], "HPB003", "NamingPolicy = (System.Text.Json.Serialization.JsonKnownNamingPolicy)99", "JsonKnownNamingPolicy");
    }

    [Fact]
    public void HPB004_is_reported_for_a_generic_type_or_one_nested_in_a_generic_type()
    {
        var (diagnostics, _) = Diagnose("Generic.WithDiagnostics.cs");

        Assert.Equal(2, diagnostics.Count);
        AssertDiagnostic(diagnostics[0], "HPB004", "Envelope", "'Envelope'", "generic");
        AssertDiagnostic(diagnostics[1], "HPB004", "Nested", "'Nested'");
    }

    [Fact]
    public void HPB005_is_reported_at_the_member_that_closes_a_cycle()
    {
        var (diagnostics, _) = Diagnose("Cycle.WithDiagnostics.cs");

        Assert.Equal(2, diagnostics.Count);
        AssertDiagnostic(diagnostics[0], "HPB005", "Children", "TreeNode -> TreeNode");
        AssertDiagnostic(diagnostics[1], "HPB005", "LastOrder", "Order -> Customer -> Order");
    }

    [Fact]
    public void HPB006_is_reported_at_the_second_member_with_the_same_JSON_name()
    {
        var (diagnostics, _) = Diagnose("DuplicateName.WithDiagnostics.cs");

        AssertDiagnostic(Assert.Single(diagnostics), "HPB006", "OtherId", "'id'", "[JsonPropertyName]");
    }

    [Fact]
    public void HPB007_is_reported_for_a_ref_struct()
    {
        var (diagnostics, _) = Diagnose("RefStruct.WithDiagnostics.cs");

        AssertDiagnostic(Assert.Single(diagnostics), "HPB007", "Stacky", "ref struct");
    }

    [Fact]
    public void HPB008_is_reported_at_a_private_JsonInclude_member()
    {
        var (diagnostics, _) = Diagnose("Inaccessible.WithDiagnostics.cs");

        Assert.Equal(2, diagnostics.Count);
        AssertDiagnostic(diagnostics[0], "HPB008", "_secret", "'_secret'", "public or internal");
        AssertDiagnostic(diagnostics[1], "HPB008", "Name", "'Name'");
    }

    [Fact]
    public void HPB009_is_reported_at_a_member_with_a_custom_converter()
    {
        var (diagnostics, _) = Diagnose("Converter.WithDiagnostics.cs");

        AssertDiagnostic(Assert.Single(diagnostics), "HPB009", "Name", "Tests.UpperConverter", "JsonStringEnumConverter");
    }

    [Fact]
    public void HPB010_is_reported_for_a_static_class()
    {
        var (diagnostics, result) = Diagnose("Static.WithDiagnostics.cs");

        AssertDiagnostic(Assert.Single(diagnostics), "HPB010", "Constants", "static");
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

    [Fact]
    public void Every_descriptor_has_its_own_id_title_and_message()
    {
        var descriptors = typeof(DiagnosticDescriptors).GetFields()
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();

        Assert.Equal(10, descriptors.Count);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Title.ToString()).Distinct().Count());
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.MessageFormat.ToString()).Distinct().Count());
        Assert.All(descriptors, d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
        var documented = File.ReadAllText(Path.Combine(GeneratorTestHelper.ProjectDirectory(), "..", "..", "README.md"));
        Assert.All(descriptors, d => Assert.Contains("`" + d.Id + "`", documented, StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnostics_point_into_the_source_tree_so_that_pragma_suppression_applies()
    {
        var (diagnostics, result) = Diagnose("UnsupportedMember.WithDiagnostics.cs");

        Assert.All(diagnostics, d => Assert.True(d.Location.IsInSource));
        Assert.All(diagnostics, d => Assert.Contains(d.Location.SourceTree, result.Output.SyntaxTrees));
    }
}
