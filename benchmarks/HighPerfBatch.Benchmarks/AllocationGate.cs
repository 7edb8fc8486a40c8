using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HighPerfBatch.Benchmarks;

/// <summary>
/// The allocation gate CI runs (<c>.ci/alloc-gate.sh</c>): the hot paths under a short in-process job with the
/// memory diagnoser. It measures bytes, not time, so three iterations are plenty. Each operation is one unit the
/// budget speaks of: one <c>TryAdd</c>, one serialized batch, one batch sent by the HTTP sink.
/// </summary>
public class AllocationGateBenchmarks
{
    public const int BatchSize = 1000;

    private const int AddsPerInvoke = 10_000;

    private readonly BenchEvent _item = BenchEvent.Create(42);
    private readonly BenchEvent[] _batch = BenchEvent.Batch(BatchSize);
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private Batcher<BenchEvent> _batcher = null!;
    private HttpBatchSink<BenchEvent> _sink = null!;

    // Only TryAdd gets a batcher: the memory diagnoser counts every thread's allocations, so an idle batcher's send
    // loop must not run beside the other benchmarks.
    [GlobalSetup(Target = nameof(TryAdd))]
    public void Setup() => _batcher = new Batcher<BenchEvent>(new NullSink<BenchEvent>(), new BatcherOptions
    {
        MaxBatchSize = BatchSize,
        Capacity = 1 << 20,
    });

    [GlobalSetup(Target = nameof(SendBatch))]
    public void SetupSink() => _sink = new HttpBatchSink<BenchEvent>(new HttpClient(new InMemoryHandler()), new Uri("http://in-memory/ingest"), Serializers.Ours);

    [GlobalCleanup(Target = nameof(TryAdd))]
    public async Task Cleanup() => await _batcher.DisposeAsync();

    /// <summary>Budget 0 B: a slot in a rented segment, nothing else (the send loop's share of a batch included).</summary>
    [Benchmark(OperationsPerInvoke = AddsPerInvoke)]
    public void TryAdd()
    {
        var batcher = _batcher;
        for (int i = 0; i < AddsPerInvoke; i++)
        {
            batcher.TryAdd(in _item);
        }
    }

    /// <summary>Budget 0 B: the generated writer into a buffer writer that has room.</summary>
    [Benchmark]
    public void SerializeBatch()
    {
        _buffer.ResetWrittenCount();
        Serializers.Ours.Write(_batch, _buffer);
    }

    /// <summary>Budget <see cref="AllocationBudget.SendBatchBytes"/>: see there.</summary>
    [Benchmark]
    public ValueTask SendBatch() => _sink.SendAsync(_batch, CancellationToken.None);
}

/// <summary>The budgets, in bytes per operation, and the check.</summary>
public static class AllocationBudget
{
    /// <summary>
    /// One flushed batch: <see cref="HttpBatchSink{T}"/> sends 1,000 events over a transport with no sockets (so the
    /// figure is the client's, not the socket layer's). It may allocate what any .NET HTTP request costs whatever its
    /// body: HttpRequestMessage and its headers, the streaming content and its Content-Type, HttpClient's send state
    /// machines and timeout CancellationTokenSource, the PipeWriter over the request stream, HttpResponseMessage.
    /// That measures 1,432 B on .NET 10 (1.4 B per event). 2 KiB leaves room for a runtime update and still fails on
    /// anything that grows with the batch: a deep copy of the events (48 KB), a byte[] of the body (~110 KB), one
    /// string per event (~40 KB), a pipe that holds the whole body instead of reusing its blocks.
    /// </summary>
    public const long SendBatchBytes = 2048;

    public static readonly IReadOnlyDictionary<string, long> PerOperation = new Dictionary<string, long>
    {
        [nameof(AllocationGateBenchmarks.TryAdd)] = 0,
        [nameof(AllocationGateBenchmarks.SerializeBatch)] = 0,
        [nameof(AllocationGateBenchmarks.SendBatch)] = SendBatchBytes,
    };

    /// <summary>Runs the gate; returns 0 when every hot path is within budget, 1 otherwise.</summary>
    public static int Run(string artifactsPath)
    {
        var config = new AllocationGateConfig().WithArtifactsPath(artifactsPath);
        var summary = BenchmarkRunner.Run<AllocationGateBenchmarks>(config);
        int failures = 0;
        Console.WriteLine();
        Console.WriteLine("Allocation gate (bytes allocated per operation, budget):");
        foreach (var report in summary.Reports)
        {
            string name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            long budget = PerOperation[name];
            long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            bool ok = report.Success && allocated is { } bytes && bytes <= budget;
            Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {name,-16} {(allocated is { } a ? $"{a} B" : "no result"),10}  budget {budget} B");
            if (!ok)
            {
                failures++;
            }
        }

        if (summary.Reports.Length != PerOperation.Count)
        {
            Console.WriteLine($"  FAIL expected {PerOperation.Count} benchmarks, got {summary.Reports.Length}");
            failures++;
        }

        Console.WriteLine(failures == 0 ? "Allocation gate passed." : $"Allocation gate FAILED: {failures} over budget.");
        return failures == 0 ? 0 : 1;
    }
}

/// <summary>In-process (no separate build), one launch, one warm-up and three iterations: allocations, not time.</summary>
public sealed class AllocationGateConfig : ManualConfig
{
    public AllocationGateConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithId("AllocGate"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddLogger(ConsoleLogger.Default);
        AddExporter(MarkdownExporter.GitHub, JsonExporter.Full);
        WithOptions(ConfigOptions.JoinSummary);
    }
}
