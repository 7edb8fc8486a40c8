using Microsoft.CodeAnalysis;

namespace HighPerfBatch.Generators.Tests;

/// <summary>
/// The generated text of representative types, checked against <c>Baselines/&lt;Test&gt;/&lt;Hint&gt;.txt</c>.
/// Run <c>dotnet test -p:UpdateBaselines=true</c> to rewrite them after an intended change, and review the diff.
/// </summary>
public class EmitterTests
{
    [Fact]
    public void PageView() => Verify("""
        using System;
        using System.Text.Json.Serialization;
        using HighPerfBatch;

        namespace Shop.Telemetry;

        [Batched(MaxBatchSize = 500, FlushIntervalMilliseconds = 200, Format = BatchFormat.NdJson)]
        public partial record struct PageView(
            long UserId, string Url, DateTimeOffset At, int? DurationMs,
            [property: JsonPropertyName("ok")] bool Succeeded);
        """);

    [Fact]
    public void NestedInContainingTypes() => Verify("""
        namespace Shop;

        public static partial class Events
        {
            internal partial struct Group
            {
                [HighPerfBatch.Batched(FlushIntervalMilliseconds = 50)]
                public sealed partial record Inner(string Name);
            }
        }
        """);

    [Fact]
    public void JsonArrayWithCollectionsObjectsAndEnums() => Verify("""
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using HighPerfBatch;

        namespace Shop.Orders;

        [Flags] public enum Tags { None = 0, New = 1, Sale = 2 }
        public enum Status { Open, Closed = 3 }
        public sealed class Line { public string? Sku { get; set; } public decimal Price { get; set; } public Tags Tags { get; set; } }

        [Batched(Format = BatchFormat.JsonArray, NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class OrderPlaced
        {
            public Guid OrderId { get; set; }
            [JsonConverter(typeof(JsonStringEnumConverter))] public Status Status { get; set; }
            [JsonConverter(typeof(JsonStringEnumConverter))] public Tags Tags { get; set; }
            public List<Line>? Lines { get; set; }
            public IReadOnlyDictionary<string, double?>? Metrics { get; set; }
            public byte[]? Signature { get; set; }
            public DateOnly Day { get; set; }
            public TimeOnly Time { get; set; }
            public TimeSpan Elapsed { get; set; }
            public char Grade { get; set; }
            public ushort Small { get; set; }
        }
        """);

    [Fact]
    public void ConditionallyIgnoredLeadingMembers() => Verify("""
        using System.Text.Json.Serialization;

        [HighPerfBatch.Batched]
        public partial struct Sparse
        {
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? First { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long Second { get; set; }
            public bool Third { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int? Fourth { get; set; }
        }
        """);

    private static void Verify(string source, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var result = GeneratorTestHelper.Run(source);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrorsAndWarnings);
        var generated = Assert.Single(result.RunResult.GeneratedTrees);
        var hint = Path.GetFileName(generated.FilePath);
        // The generator's version is not part of the baseline, so that a version bump does not touch every file.
        var actual = System.Text.RegularExpressions.Regex.Replace(
            generated.GetText().ToString(),
            "GeneratedCodeAttribute\\(\"HighPerfBatch.Generators\", \"[^\"]*\"\\)",
            "GeneratedCodeAttribute(\"HighPerfBatch.Generators\", \"{version}\")");
        var path = Path.Combine(GeneratorTestHelper.ProjectDirectory(), "Baselines", test, hint + ".txt");

#if UPDATE_BASELINES
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, actual);
#endif

        Assert.True(File.Exists(path), $"No baseline at {path}: run dotnet test -p:UpdateBaselines=true");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
