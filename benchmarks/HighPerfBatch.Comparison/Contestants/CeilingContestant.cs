using System.Text.Json;

namespace HighPerfBatch.Comparison.Contestants;

/// <summary>
/// No batching library at all: one pre-serialized body of <see cref="ContestantSettings.BatchSize"/> events, POSTed
/// back to back by <see cref="ContestantSettings.MaxConcurrentSends"/> loops. The physical limit of this machine's
/// loopback HTTP with this receiver at that concurrency. Its events carry <c>addedTicks: 0</c>, so it has no latency.
/// </summary>
public sealed class CeilingContestant : Contestant
{
    private readonly ContestantSettings _settings;
    private readonly HttpClient _http;
    private readonly ReadOnlyMemory<byte> _body;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _loops = [];

    public CeilingContestant(ContestantSettings settings, HttpClient http)
    {
        _settings = settings;
        _http = http;
        var body = new MemoryStream();
        for (int i = 0; i < settings.BatchSize; i++)
        {
            JsonSerializer.Serialize(body, ComparisonEvent.Create(i) with { AddedTicks = 0 }, SourceGenJson.Default.ComparisonEvent);
            body.WriteByte((byte)'\n');
        }

        _body = body.ToArray();
    }

    public override string Name => "Ceiling";

    public override int? Concurrency => _settings.MaxConcurrentSends;

    public override bool UsesProducers => false;

    public override void Start()
    {
        _loops = new Task[_settings.MaxConcurrentSends];
        for (int i = 0; i < _loops.Length; i++)
        {
            _loops[i] = Task.Run(PostLoopAsync);
        }
    }

    public override bool Add(in ComparisonEvent item) => throw new NotSupportedException("The Ceiling has no producers.");

    public override async Task DrainAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(timeout).ConfigureAwait(false);
    }

    private async Task PostLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            EnterRequest();
            try
            {
                using var content = new ReadOnlyMemoryContent(_body);
                content.Headers.ContentType = Http.NdJson;
                using var response = await _http.PostAsync(_settings.Endpoint, content).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    CountDelivered(_settings.BatchSize);
                }
                else
                {
                    CountFailed(_settings.BatchSize);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                CountFailed(_settings.BatchSize);
            }
            finally
            {
                ExitRequest();
            }
        }
    }

    public override ValueTask DisposeAsync()
    {
        _stop.Dispose();
        return base.DisposeAsync();
    }
}
