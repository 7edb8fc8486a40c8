using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace HighPerfBatch.Benchmarks;

/// <summary>
/// The producer's cost of handing over one event, on 1 thread and on 2 threads contending for the same queue
/// (time per event = wall time ÷ events added by both). Every queue is emptied by its own consumer meanwhile:
/// the batcher by its send loop into a <see cref="NullSink{T}"/>, OpenTelemetry by its export thread into a
/// <see cref="NullExporter{T}"/> (queue sized so it never drops: checked at cleanup), the others by a
/// <see cref="Drainer"/>.
/// </summary>
[MemoryDiagnoser]
public class AddBenchmarks
{
    private const int EventsPerInvoke = 100_000;

    private readonly BenchEvent _item = BenchEvent.Create(42);
    private readonly BenchEventClass _classItem = new() { AddedTicks = 1, Id = 42, UserId = 42, Kind = "click", DurationMs = 5.25, Success = true };
    private Batcher<BenchEvent> _batcher = null!;
    private ConcurrentQueue<BenchEvent> _queue = null!;
    private Channel<BenchEvent> _channel = null!;
    private BenchBatchExportProcessor<BenchEventClass> _otel = null!;
    private Drainer _queueDrainer = null!;
    private Drainer _channelDrainer = null!;
    private PartnerThread? _partner;
    private long _rejected;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batcher = new Batcher<BenchEvent>(new NullSink<BenchEvent>(), new BatcherOptions
        {
            MaxBatchSize = 1000,
            Capacity = 1 << 20,
            FlushInterval = TimeSpan.FromSeconds(1),
        });
        _queue = new ConcurrentQueue<BenchEvent>();
        _queueDrainer = Drainer.For(_queue);
        _channel = Channel.CreateUnbounded<BenchEvent>(new UnboundedChannelOptions { SingleReader = true });
        _channelDrainer = Drainer.For(_channel.Reader);
        _otel = new BenchBatchExportProcessor<BenchEventClass>(new NullExporter<BenchEventClass>(), maxQueueSize: 1 << 20, scheduledDelayMilliseconds: 1000, maxExportBatchSize: 1000);
        _partner = Threads == 2 ? new PartnerThread() : null;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _partner?.Dispose();
        _queueDrainer.Dispose();
        _channelDrainer.Dispose();
        Console.WriteLine($"// OpenTelemetry dropped {_otel.DroppedItems} (must be 0); HighPerfBatch refused {Interlocked.Read(ref _rejected)} (must be 0)");
        _otel.Dispose();
        await _batcher.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public void ConcurrentQueue_Enqueue() => Run(() =>
    {
        var queue = _queue;
        for (int i = EventsPerInvoke / Threads; i > 0; i--)
        {
            queue.Enqueue(_item);
        }
    });

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void Channel_TryWrite() => Run(() =>
    {
        var writer = _channel.Writer;
        for (int i = EventsPerInvoke / Threads; i > 0; i--)
        {
            writer.TryWrite(_item);
        }
    });

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void OpenTelemetry_OnEnd() => Run(() =>
    {
        var processor = _otel;
        for (int i = EventsPerInvoke / Threads; i > 0; i--)
        {
            processor.OnEnd(_classItem);
        }
    });

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void HighPerfBatch_TryAdd() => Run(() =>
    {
        var batcher = _batcher;
        long rejected = 0;
        for (int i = EventsPerInvoke / Threads; i > 0; i--)
        {
            if (!batcher.TryAdd(in _item))
            {
                rejected++;
            }
        }

        Interlocked.Add(ref _rejected, rejected);
    });

    private void Run(Action work)
    {
        if (_partner is null)
        {
            work();
        }
        else
        {
            _partner.RunTogether(work);
        }
    }
}
