using HighPerfBatch.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HighPerfBatch.Generators;

/// <summary>
/// For every type marked <c>[Batched]</c>: a typed batcher (<c>{Name}Batcher</c>), a reflection-free UTF-8 JSON
/// serializer (<c>{Name}BatchSerializer</c>) and the type's <c>IBatchable&lt;T&gt;</c> implementation, one file per type.
/// </summary>
/// <remarks>
/// Parser (symbols to an equatable model) → Emitter (model to text); diagnostics travel on a separate output so that
/// their locations do not defeat caching. Both stages format every number with the invariant culture (the analyzer
/// rules forbid touching the current culture), so the output never depends on the machine that builds.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class BatchedGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                BatchedAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var models = results
            .Select(static (result, _) => result.Spec)
            .WithTrackingName(TrackingNames.Model);

        var diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(models, static (context, spec) =>
        {
            if (spec is not null)
            {
                context.AddSource(spec.HintName, SourceText.From(Emitter.Emit(spec), System.Text.Encoding.UTF8));
            }
        });

        // The compilation is joined only to turn a LocationInfo back into a location in its syntax tree (so that
        // #pragma and editor squiggles work); this step reruns on every edit but does nothing when there is nothing to report.
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (context, pair) =>
        {
            var (diagnostics, compilation) = pair;
            foreach (var diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
            }
        });
    }
}
