using System.Collections.Concurrent;
using System.Threading.Channels;
using OpenTelemetry;

namespace HighPerfBatch.Benchmarks;

/// <summary>A sink that acknowledges every batch at once: what is measured is the batcher, not a transport.</summary>
public sealed class NullSink<T> : IBatchSink<T>
{
    private long _items;

    public long Items => Volatile.Read(ref _items);

    public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _items, batch.Length);
        return default;
    }
}

/// <summary>An OpenTelemetry exporter that accepts every batch at once (it only walks it).</summary>
public sealed class NullExporter<T> : BaseExporter<T>
    where T : class
{
    public long Items { get; private set; }

    public override ExportResult Export(in Batch<T> batch)
    {
        long count = 0;
        foreach (var _ in batch)
        {
            count++;
        }

        Items += count;
        return ExportResult.Success;
    }
}

/// <summary><see cref="BatchExportProcessor{T}"/> is abstract: its concrete subclasses only fix <c>T</c>.</summary>
public sealed class BenchBatchExportProcessor<T>(BaseExporter<T> exporter, int maxQueueSize, int scheduledDelayMilliseconds, int maxExportBatchSize)
    : BatchExportProcessor<T>(exporter, maxQueueSize, scheduledDelayMilliseconds, 30_000, maxExportBatchSize)
    where T : class
{
    private static readonly System.Reflection.PropertyInfo? Dropped = typeof(BatchExportProcessor<T>)
        .GetProperty("DroppedCount", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);

    /// <summary>OpenTelemetry's internal drop counter: it must stay 0, or the benchmark measured the drop path.</summary>
    public long DroppedItems => Dropped?.GetValue(this) is long dropped ? dropped : -1;
}

/// <summary>
/// Empties a queue from a background thread, the way a batcher's consumer would, so that producers are measured on
/// their fast path and memory stays flat. It sleeps 1 ms between passes so that it does not take a core from the
/// producers on a 2-core machine.
/// </summary>
public sealed class Drainer : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    private Drainer(Func<long> drainOnce)
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                drainOnce();
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "drainer" };
        _thread.Start();
    }

    public static Drainer For<T>(ConcurrentQueue<T> queue) => new(() =>
    {
        long n = 0;
        while (queue.TryDequeue(out _))
        {
            n++;
        }

        return n;
    });

    public static Drainer For<T>(ChannelReader<T> reader) => new(() =>
    {
        long n = 0;
        while (reader.TryRead(out _))
        {
            n++;
        }

        return n;
    });

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}

/// <summary>A second producer thread that runs the same loop as the benchmark thread, started and joined per invocation.</summary>
public sealed class PartnerThread : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _go = new(false, 2000);
    private readonly ManualResetEventSlim _done = new(false, 2000);
    private Action? _work;
    private volatile bool _stop;

    public PartnerThread()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "partner-producer" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on this thread and on the partner at the same time; returns when both are done.</summary>
    public void RunTogether(Action work)
    {
        _work = work;
        _done.Reset();
        _go.Set();
        work();
        _done.Wait();
    }

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            _go.Reset();
            if (_stop)
            {
                return;
            }

            _work!();
            _done.Set();
        }
    }

    public void Dispose()
    {
        _stop = true;
        _go.Set();
        _thread.Join();
        _go.Dispose();
        _done.Dispose();
    }
}

/// <summary>
/// An HTTP transport with no sockets: reads the request body into a reused buffer and answers 200. What is left is
/// the client's own cost of a request: the message, its content, the body bytes, the response object.
/// </summary>
public sealed class InMemoryHandler : HttpMessageHandler
{
    private readonly MemoryStream _received = new(256 * 1024);

    public long BodyBytes { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _received.SetLength(0);
        if (request.Content is { } content)
        {
            await content.CopyToAsync(_received, cancellationToken);
        }

        BodyBytes = _received.Length;
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request };
    }
}
