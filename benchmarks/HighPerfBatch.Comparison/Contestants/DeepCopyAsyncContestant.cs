using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace HighPerfBatch.Comparison.Contestants;

/// <summary>
/// The seed's option 2: one worker reads a bounded channel into one <see cref="List{T}"/>; when the batch is full or
/// its interval has passed it deep-copies the list (<see cref="List{T}.ToArray"/>, the seed's <c>deepCopy()</c>),
/// clears it, and sends the copy on the thread pool without waiting (<c>go send(copy)</c>): nothing bounds the sends
/// in flight. Reflection-based System.Text.Json, like the pools.
/// </summary>
public sealed class DeepCopyAsyncContestant : Contestant
{
    private readonly ContestantSettings _settings;
    private readonly HttpClient _http;
    private readonly Channel<ComparisonEvent> _channel;
    private Task? _worker;
    private int _pending;

    public DeepCopyAsyncContestant(ContestantSettings settings, HttpClient http)
    {
        _settings = settings;
        _http = http;
        _channel = Channel.CreateBounded<ComparisonEvent>(new BoundedChannelOptions(settings.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public override string Name => "DeepCopyAsync";

    public override int? Concurrency => null;

    public override void Start() => _worker = Task.Run(WorkAsync);

    public override bool Add(in ComparisonEvent item)
    {
        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }

        // Full: wait for room, as a producer writing to a bounded channel does.
        var write = _channel.Writer.WriteAsync(item);
        if (!write.IsCompletedSuccessfully)
        {
            try
            {
                write.AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException)
            {
                return false;
            }
        }

        return true;
    }

    public override async Task DrainAsync(TimeSpan timeout)
    {
        _channel.Writer.TryComplete();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        if (_worker is not null)
        {
            try
            {
                await _worker.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
        }

        while (Volatile.Read(ref _pending) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private async Task WorkAsync()
    {
        var reader = _channel.Reader;
        var buffer = new List<ComparisonEvent>(_settings.BatchSize);
        long intervalTicks = (long)(_settings.FlushInterval.TotalSeconds * Stopwatch.Frequency);
        long deadline = 0;
        Task<bool>? waiting = null;
        while (true)
        {
            while (buffer.Count < _settings.BatchSize && reader.TryRead(out var item))
            {
                if (buffer.Count == 0)
                {
                    deadline = Stopwatch.GetTimestamp() + intervalTicks;
                }

                buffer.Add(item);
            }

            if (buffer.Count >= _settings.BatchSize || (buffer.Count > 0 && Stopwatch.GetTimestamp() >= deadline))
            {
                Flush(buffer);
                continue;
            }

            waiting ??= reader.WaitToReadAsync().AsTask();
            if (buffer.Count > 0 && !waiting.IsCompleted)
            {
                var left = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
                await Task.WhenAny(waiting, Task.Delay(left)).ConfigureAwait(false);
                if (!waiting.IsCompleted)
                {
                    continue; // the interval passed: flush at the top of the loop
                }
            }

            bool more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more)
            {
                break;
            }
        }

        if (buffer.Count > 0)
        {
            Flush(buffer);
        }
    }

    private void Flush(List<ComparisonEvent> buffer)
    {
        var copy = buffer.ToArray();
        buffer.Clear();
        Interlocked.Increment(ref _pending);
        _ = Task.Run(() => SendAsync(copy));
    }

    private async Task SendAsync(ComparisonEvent[] batch)
    {
        EnterRequest();
        try
        {
            var body = new MemoryStream(batch.Length * 160);
            foreach (var item in batch)
            {
                JsonSerializer.Serialize(body, item, ReflectionJson.Options);
                body.WriteByte((byte)'\n');
            }

            using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            content.Headers.ContentType = Http.NdJson;
            using var response = await _http.PostAsync(_settings.Endpoint, content).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                CountDelivered(batch.Length);
            }
            else
            {
                CountFailed(batch.Length);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            CountFailed(batch.Length);
        }
        finally
        {
            ExitRequest();
            Interlocked.Decrement(ref _pending);
        }
    }
}
