using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HighPerfBatch.Generators.Tests;

/// <summary>
/// The generated batcher's constructors: the <c>(HttpClient, Uri, HttpBatchSinkOptions, BatcherOptions?)</c> overload
/// is added without changing what any call of the original <c>(HttpClient, Uri, BatcherOptions?)</c> binds to.
/// </summary>
public class BatcherConstructorTests
{
    private const string Declaration = """
        using System;
        using System.Net.Http;
        using HighPerfBatch;

        namespace N;

        [Batched]
        public partial record struct E(int X);

        public static class Calls
        {
            public static void Make(HttpClient http, Uri uri, BatcherOptions options, HttpBatchSinkOptions sinkOptions, IBatchSink<E> sink)
            {
                _ = new EBatcher(sink);
                _ = new EBatcher(sink, options);
                _ = new EBatcher(sink, null);
                _ = new EBatcher(http, uri);
                _ = new EBatcher(http, uri, options);
                _ = new EBatcher(http, uri, null);
                _ = new EBatcher(http, uri, default);
                _ = new EBatcher(http, uri, null!);
                _ = new EBatcher(http, uri, new());
                _ = new EBatcher(http, uri, new() { MaxBatchSize = 10 });
                _ = new EBatcher(http, uri, options: options);
                _ = new EBatcher(http, uri, options: null);
                _ = new EBatcher(httpClient: http, endpoint: uri, options: options);
                _ = new EBatcher(http, uri, sinkOptions);
                _ = new EBatcher(http, uri, sinkOptions, options);
                _ = new EBatcher(http, uri, sinkOptions, null);
                _ = new EBatcher(http, uri, sinkOptions: sinkOptions);
                _ = new EBatcher(http, uri, options: options, sinkOptions: sinkOptions);
                _ = new EBatcher(http, uri, new HttpBatchSinkOptions { Compression = BatchCompression.Gzip });
            }
        }
        """;

    [Fact]
    public void Every_call_form_compiles_and_binds_to_the_intended_constructor()
    {
        var result = GeneratorTestHelper.Run(Declaration);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrorsAndWarnings);

        var tree = result.Output.SyntaxTrees.First();
        var model = result.Output.GetSemanticModel(tree);
        var bound = tree.GetRoot().DescendantNodes().OfType<ObjectCreationExpressionSyntax>()
            .Where(call => call.Type.ToString() == "EBatcher")
            .Select(call => (Call: call.ToString(), Parameters: Parameters((IMethodSymbol)model.GetSymbolInfo(call).Symbol!)))
            .ToList();

        const string Sink = "IBatchSink<E> sink, BatcherOptions? options";
        const string Http = "HttpClient httpClient, Uri endpoint, BatcherOptions? options";
        const string WithSinkOptions = "HttpClient httpClient, Uri endpoint, HttpBatchSinkOptions sinkOptions, BatcherOptions? options";
        string[] expected =
        [
            Sink, Sink, Sink,
            Http, Http, Http, Http, Http, Http, Http, Http, Http, Http,
            WithSinkOptions, WithSinkOptions, WithSinkOptions, WithSinkOptions, WithSinkOptions, WithSinkOptions,
        ];
        Assert.Equal(expected.Length, bound.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == bound[i].Parameters, $"{bound[i].Call} binds to ({bound[i].Parameters}), expected ({expected[i]})");
        }
    }

    private static string Parameters(IMethodSymbol constructor)
        => string.Join(", ", constructor.Parameters.Select(p => p.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName))));
}
