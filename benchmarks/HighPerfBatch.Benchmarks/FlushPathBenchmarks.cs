using System.IO.Pipelines;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace HighPerfBatch.Benchmarks;

/// <summary>
/// What it costs to turn one full batch of 1,000 events into request bytes, per event (OperationsPerInvoke).
/// Naive: the producers' <see cref="List{T}"/> deep-copied with <see cref="List{T}.ToArray"/> (so producers can go on
/// filling it), then <see cref="JsonSerializer.SerializeAsync{TValue}(Stream, TValue, JsonSerializerOptions?, CancellationToken)"/>
/// with reflection into the request stream. Ours: the segment the producers filled is handed over as it is (no copy),
/// and the generated writer writes it into a <see cref="PipeWriter"/> over the request stream, its buffers rented from
/// the shared memory pool. The request stream is a reused <see cref="MemoryStream"/> in both.
/// </summary>
[MemoryDiagnoser]
public class FlushPathBenchmarks
{
    private const int BatchSize = 1000;

    private readonly List<BenchEvent> _producerBuffer = new(BenchEvent.Batch(BatchSize));
    private readonly ReadOnlyMemory<BenchEvent> _segment = BenchEvent.Batch(BatchSize);
    private readonly MemoryStream _requestStream = new(256 * 1024);
    private readonly StreamPipeWriterOptions _pipeOptions = FlushPath.PipeOptions;

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public async Task Naive_ToArray_SerializeAsync()
    {
        var copy = _producerBuffer.ToArray();
        _requestStream.SetLength(0);
        await JsonSerializer.SerializeAsync(_requestStream, copy, Json.Reflection);
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task Naive_ToArray_SerializeAsync_SourceGen()
    {
        var copy = _producerBuffer.ToArray();
        _requestStream.SetLength(0);
        await JsonSerializer.SerializeAsync(_requestStream, copy, BenchJson.Default.BenchEventArray);
    }

    private static readonly Uri Endpoint = new("http://in-memory/ingest");
    private readonly HttpClient _http = new(new InMemoryHandler());
    private HttpBatchSink<BenchEvent> _sink = null!;

    [GlobalSetup]
    public void Setup() => _sink = new HttpBatchSink<BenchEvent>(_http, Endpoint, Serializers.Ours);

    /// <summary>The naive path as a whole request: copy, reflection STJ into a MemoryStream, POST its bytes.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task Naive_Request_InMemoryTransport()
    {
        var copy = _producerBuffer.ToArray();
        var body = new MemoryStream(BatchSize * 128);
        await JsonSerializer.SerializeAsync(body, copy, Json.Reflection);
        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        using var response = await _http.PostAsync(Endpoint, content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Our path as a whole request: <see cref="HttpBatchSink{T}"/> streams the segment into the request.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public ValueTask Ours_HttpBatchSink_InMemoryTransport() => _sink.SendAsync(_segment, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task Ours_Segment_GeneratedWriter_PipeWriter()
    {
        _requestStream.SetLength(0);
        await FlushPath.WriteAsync(_segment, _requestStream, _pipeOptions);
    }
}

/// <summary>
/// Our flush path as the HTTP sink's content runs it: item by item into a <see cref="PipeWriter"/> over the request
/// stream, flushing every <see cref="FlushEveryBytes"/> so that the writer reuses its few pooled segments instead of
/// holding the whole body.
/// </summary>
internal static class FlushPath
{
    public const int FlushEveryBytes = 16 * 1024;

    public static readonly StreamPipeWriterOptions PipeOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    public static async ValueTask WriteAsync(ReadOnlyMemory<BenchEvent> batch, Stream requestStream, StreamPipeWriterOptions options)
    {
        var serializer = Serializers.Ours;
        var writer = PipeWriter.Create(requestStream, options);
        serializer.WritePrefix(writer);
        for (int i = 0; i < batch.Length; i++)
        {
            serializer.WriteItem(in batch.Span[i], i == 0, writer);
            if (writer.UnflushedBytes >= FlushEveryBytes)
            {
                await writer.FlushAsync();
            }
        }

        serializer.WriteSuffix(writer);
        await writer.CompleteAsync();
    }
}
