namespace HighPerfBatch.Generators.Model;

/// <summary>Everything the emitter needs to write the source of one <c>[Batched]</c> type.</summary>
/// <param name="Namespace">The namespace, or an empty string for the global namespace.</param>
/// <param name="ContainingTypes">The types the [Batched] type is nested in, outermost first.</param>
/// <param name="Name">The simple name of the type.</param>
/// <param name="Keyword">How the type is declared: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>.</param>
/// <param name="Accessibility">The declared accessibility, as C# text.</param>
/// <param name="TypeName">The fully qualified name (<c>global::Shop.Telemetry.PageView</c>).</param>
/// <param name="Format">The <c>BatchFormat</c> value of the attribute (0 NdJson, 1 JsonArray).</param>
/// <param name="MaxBatchSize">The attribute's MaxBatchSize, or null when it is not set.</param>
/// <param name="FlushIntervalMilliseconds">The attribute's FlushIntervalMilliseconds, or null when it is not set.</param>
/// <param name="Root">How the type itself is written.</param>
/// <param name="Helpers">Writers of the nested objects and string enums the type uses, in the order they were found.</param>
internal sealed record BatchedTypeSpec(
    string Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Name,
    string Keyword,
    string Accessibility,
    string TypeName,
    int Format,
    int? MaxBatchSize,
    int? FlushIntervalMilliseconds,
    ObjectSpec Root,
    EquatableArray<HelperSpec> Helpers)
{
    public string HintName
    {
        get
        {
            var prefix = Namespace.Length == 0 ? string.Empty : Namespace + ".";
            foreach (var containing in ContainingTypes)
            {
                prefix += containing.Name + ".";
            }

            return prefix + Name + ".g.cs";
        }
    }
}

/// <summary>A type that contains the [Batched] type, redeclared as <c>partial</c> around the generated types.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);
