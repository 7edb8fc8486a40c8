using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace HighPerfBatch.Comparison.Contestants;

/// <summary>
/// The seed's option 1: N worker threads take events from one shared bounded queue; each keeps its own batch and
/// sends it with a blocking <see cref="HttpClient.Send(HttpRequestMessage)"/>, serialized with reflection-based
/// System.Text.Json into a buffer the worker reuses. Producers block while the queue is full.
/// </summary>
public sealed class WorkerPoolContestant : Contestant
{
    private readonly ContestantSettings _settings;
    private readonly HttpClient _http;
    private readonly BlockingCollection<ComparisonEvent> _queue;
    private readonly Thread[] _workers;

    public WorkerPoolContestant(int workers, ContestantSettings settings, HttpClient http)
    {
        _settings = settings;
        _http = http;
        _queue = new BlockingCollection<ComparisonEvent>(new ConcurrentQueue<ComparisonEvent>(), settings.Capacity);
        _workers = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"pool-worker-{i}" };
        }
    }

    public override string Name => $"WorkerPool({_workers.Length})";

    public override int? Concurrency => _workers.Length;

    public override void Start()
    {
        foreach (var worker in _workers)
        {
            worker.Start();
        }
    }

    public override bool Add(in ComparisonEvent item)
    {
        try
        {
            _queue.Add(item);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // completed: draining
        }
    }

    public override Task DrainAsync(TimeSpan timeout)
    {
        _queue.CompleteAdding();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var worker in _workers)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            worker.Join(left);
        }

        return Task.CompletedTask;
    }

    private void Work()
    {
        var batch = new List<ComparisonEvent>(_settings.BatchSize);
        var body = new MemoryStream(_settings.BatchSize * 160);
        long intervalTicks = (long)(_settings.FlushInterval.TotalSeconds * Stopwatch.Frequency);
        long deadline = 0;
        while (true)
        {
            int timeoutMs = batch.Count == 0
                ? Timeout.Infinite
                : (int)Math.Max(0, (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (_queue.TryTake(out var item, timeoutMs))
            {
                if (batch.Count == 0)
                {
                    deadline = Stopwatch.GetTimestamp() + intervalTicks;
                }

                batch.Add(item);
                if (batch.Count >= _settings.BatchSize)
                {
                    Send(batch, body);
                }
            }
            else if (_queue.IsCompleted)
            {
                if (batch.Count > 0)
                {
                    Send(batch, body);
                }

                return;
            }
            else if (batch.Count > 0 && Stopwatch.GetTimestamp() >= deadline)
            {
                Send(batch, body);
            }
        }
    }

    private void Send(List<ComparisonEvent> batch, MemoryStream body)
    {
        body.SetLength(0);
        foreach (var item in batch)
        {
            JsonSerializer.Serialize(body, item, ReflectionJson.Options);
            body.WriteByte((byte)'\n');
        }

        int count = batch.Count;
        batch.Clear();
        EnterRequest();
        try
        {
            using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            content.Headers.ContentType = Http.NdJson;
            using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Endpoint) { Content = content };
            using var response = _http.Send(request);
            if (response.IsSuccessStatusCode)
            {
                CountDelivered(count);
            }
            else
            {
                CountFailed(count);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            CountFailed(count);
        }
        finally
        {
            ExitRequest();
        }
    }

    public override ValueTask DisposeAsync()
    {
        _queue.Dispose();
        return base.DisposeAsync();
    }
}
