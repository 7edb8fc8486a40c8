using System.Collections;
using System.Reflection;
using HighPerfBatch.Generators.Model;
using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators.Tests;

public class ParserTests
{
    private const string PageView = """
        using System;
        using System.Text.Json.Serialization;
        using HighPerfBatch;

        namespace Shop.Telemetry;

        [Batched(MaxBatchSize = 500, FlushIntervalMilliseconds = 200, Format = BatchFormat.NdJson)]
        public partial record struct PageView(
            long UserId, string Url, DateTimeOffset At, int? DurationMs,
            [property: JsonPropertyName("ok")] bool Succeeded);
        """;

    private static BatchedTypeSpec Model(string source)
    {
        var result = GeneratorTestHelper.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        return Assert.IsType<BatchedTypeSpec>(Assert.Single(result.TrackedOutputs(TrackingNames.Model)));
    }

    [Fact]
    public void PageView_model_holds_names_defaults_and_member_kinds()
    {
        var spec = Model(PageView);

        Assert.Equal("Shop.Telemetry", spec.Namespace);
        Assert.Equal("PageView", spec.Name);
        Assert.Equal("record struct", spec.Keyword);
        Assert.Equal("public", spec.Accessibility);
        Assert.Equal("global::Shop.Telemetry.PageView", spec.TypeName);
        Assert.Equal(500, spec.MaxBatchSize);
        Assert.Equal(200, spec.FlushIntervalMilliseconds);
        Assert.Equal(0, spec.Format);
        Assert.Equal("Shop.Telemetry.PageView.g.cs", spec.HintName);
        Assert.Equal(
            ["userId", "url", "at", "durationMs", "ok"],
            spec.Root.Properties.Select(p => p.JsonName));
        Assert.Equal(
            [ValueKind.Number, ValueKind.String, ValueKind.String, ValueKind.Nullable, ValueKind.Boolean],
            spec.Root.Properties.Select(p => p.Value.Kind));
        Assert.True(spec.Root.Properties[1].Value.IsReferenceType);
        Assert.Equal(ValueKind.Number, spec.Root.Properties[3].Value.Element!.Kind);
    }

    [Fact]
    public void Unset_attribute_values_are_null_in_the_model()
    {
        var spec = Model("""
            [HighPerfBatch.Batched]
            internal partial class Plain { public int X { get; set; } }
            """);

        Assert.Null(spec.MaxBatchSize);
        Assert.Null(spec.FlushIntervalMilliseconds);
        Assert.Equal(string.Empty, spec.Namespace);
        Assert.Equal("internal", spec.Accessibility);
        Assert.Equal("Plain.g.cs", spec.HintName);
    }

    [Fact]
    public void Nested_type_records_its_containing_types_outermost_first()
    {
        var spec = Model("""
            namespace N;
            public partial class A
            {
                internal partial record struct B
                {
                    [HighPerfBatch.Batched]
                    private partial record C(int X);
                }
            }
            """);

        Assert.Equal([("class", "A"), ("record struct", "B")], spec.ContainingTypes.Select(c => (c.Keyword, c.Name)));
        Assert.Equal("private", spec.Accessibility);
        Assert.Equal("N.A.B.C.g.cs", spec.HintName);
    }

    [Theory]
    [InlineData("CamelCase", "XMLHttpRequestId", "xmlHttpRequestId")]
    [InlineData("SnakeCaseLower", "XMLHttpRequestId", "xml_http_request_id")]
    [InlineData("SnakeCaseUpper", "UserAgent2Go", "USER_AGENT2_GO")]
    [InlineData("KebabCaseLower", "EventTime", "event-time")]
    [InlineData("KebabCaseUpper", "EventTime", "EVENT-TIME")]
    [InlineData("Unspecified", "EventTime", "EventTime")]
    public void Naming_policy_is_applied_to_member_names(string policy, string member, string expected)
    {
        var spec = Model($$"""
            [HighPerfBatch.Batched(NamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.{{policy}})]
            public partial class Row { public int {{member}} { get; set; } }
            """);

        Assert.Equal(expected, Assert.Single(spec.Root.Properties).JsonName);
    }

    [Theory]
    [InlineData("URL")]
    [InlineData("IPAddress")]
    [InlineData("ABC123Def")]
    [InlineData("already_snake")]
    [InlineData("With Space")]
    [InlineData("A")]
    [InlineData("aB")]
    [InlineData("SHA512Hash")]
    [InlineData("Ünïcode")]
    public void Naming_policies_match_System_Text_Json(string name)
    {
        var policies = new (int Known, System.Text.Json.JsonNamingPolicy Policy)[]
        {
            (JsonNaming.CamelCase, System.Text.Json.JsonNamingPolicy.CamelCase),
            (JsonNaming.SnakeCaseLower, System.Text.Json.JsonNamingPolicy.SnakeCaseLower),
            (JsonNaming.SnakeCaseUpper, System.Text.Json.JsonNamingPolicy.SnakeCaseUpper),
            (JsonNaming.KebabCaseLower, System.Text.Json.JsonNamingPolicy.KebabCaseLower),
            (JsonNaming.KebabCaseUpper, System.Text.Json.JsonNamingPolicy.KebabCaseUpper),
        };

        foreach (var (known, policy) in policies)
        {
            Assert.Equal(policy.ConvertName(name), JsonNaming.Convert(name, known));
        }
    }

    [Fact]
    public void Members_follow_System_Text_Json_rules_for_what_is_serialized()
    {
        var spec = Model("""
            using System.Text.Json.Serialization;
            public class Base { public int FromBase { get; set; } public virtual int Overridden { get; set; } }
            [HighPerfBatch.Batched]
            public partial class Derived : Base
            {
                public static int Static { get; set; }
                public int this[int i] => i;
                public int WriteOnly { set { } }
                internal int Internal { get; set; }
                public int PrivateGetter { private get; set; }
                [JsonIgnore] public int Ignored { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int NeverIgnored { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Optional { get; set; }
                public int PublicField;
                [JsonInclude] public int IncludedField;
                [JsonInclude] internal int InternalIncluded { get; set; }
                public override int Overridden { get; set; }
                [JsonPropertyOrder(-5)] public int First { get; set; }
            }
            """);

        Assert.Equal(
            ["first", "neverIgnored", "optional", "includedField", "internalIncluded", "overridden", "fromBase"],
            spec.Root.Properties.Select(p => p.JsonName));
        Assert.Equal(IgnoreCondition.WhenWritingNull, spec.Root.Properties.Single(p => p.JsonName == "optional").Ignore);
    }

    [Fact]
    public void Nested_objects_and_string_enums_become_helpers_written_once_each()
    {
        var spec = Model("""
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            public enum Kind { A, B }
            public sealed class Address { public string? City { get; set; } }
            [HighPerfBatch.Batched]
            public partial record Order(Address Billing, Address? Shipping, List<Address> History,
                [property: JsonConverter(typeof(JsonStringEnumConverter))] Kind Kind,
                [property: JsonConverter(typeof(JsonStringEnumConverter<Kind>))] Kind? MaybeKind,
                Kind Number);
            """);

        Assert.Equal(["WriteAddress", "WriteKind"], spec.Helpers.Select(h => h.Object?.MethodName ?? h.Enum!.MethodName));
        Assert.Equal(ValueKind.EnumName, spec.Root.Properties[3].Value.Kind);
        Assert.Equal(ValueKind.EnumName, spec.Root.Properties[4].Value.Element!.Kind);
        Assert.Equal(ValueKind.Number, spec.Root.Properties[5].Value.Kind);
    }

    [Fact]
    public void Model_holds_no_symbols_syntax_compilation_or_locations()
    {
        var result = GeneratorTestHelper.Run(PageView, """
            using System.Collections.Generic;
            public sealed class Address { public string? City { get; set; } }
            [HighPerfBatch.Batched] public partial record Bad(object Oops);
            [HighPerfBatch.Batched] public partial record Good(Address A, Dictionary<string, List<int>> D);
            """);

        var outputs = result.TrackedOutputs(TrackingNames.Parse)
            .Concat(result.TrackedOutputs(TrackingNames.Model))
            .Concat(result.TrackedOutputs(TrackingNames.Diagnostics))
            .ToList();
        Assert.NotEmpty(outputs);
        foreach (var output in outputs)
        {
            Walk(output, new HashSet<object>(ReferenceEqualityComparer.Instance), "output");
        }
    }

    private static void Walk(object? node, HashSet<object> visited, string path)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !visited.Add(node))
        {
            return;
        }

        Assert.False(node is ISymbol or Compilation or SyntaxNode or SyntaxTree or Location or SemanticModel, $"{path} is a {node.GetType()}");
        if (node is DiagnosticDescriptor)
        {
            return;
        }

        if (node is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                Walk(item, visited, $"{path}[{i++}]");
            }

            return;
        }

        foreach (var field in node.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(node), visited, path + "." + field.Name);
        }
    }
}
