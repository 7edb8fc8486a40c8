namespace HighPerfBatch.Comparison.Contestants;

/// <summary>
/// HighPerfBatch: the batcher the generator emits for <see cref="ComparisonEvent"/> with the HTTP sink, the
/// recommended <see cref="BatcherOptions.MaxConcurrentSends"/> for the receiver's latency, and
/// <see cref="BatchFullMode.Wait"/> so that producers wait (like the pools') instead of dropping.
/// </summary>
public sealed class HighPerfBatchContestant : Contestant
{
    private readonly Batcher<ComparisonEvent> _batcher;
    private readonly int _maxConcurrentSends;
    private int _peak;

    public HighPerfBatchContestant(ContestantSettings settings, HttpClient http)
    {
        _maxConcurrentSends = settings.MaxConcurrentSends;
        var options = new BatcherOptions
        {
            MaxBatchSize = settings.BatchSize,
            FlushInterval = settings.FlushInterval,
            Capacity = settings.Capacity,
            MaxConcurrentSends = settings.MaxConcurrentSends,
            FullMode = BatchFullMode.Wait,
        };
        _batcher = new ComparisonEventBatcher(http, settings.Endpoint, options);
    }

    public override string Name => "HighPerfBatch";

    public override int? Concurrency => _maxConcurrentSends;

    public override long Delivered => _batcher.Statistics.Delivered;

    public override long Lost
    {
        get
        {
            var statistics = _batcher.Statistics;
            return statistics.Dropped + statistics.Failed;
        }
    }

    public override int PeakInFlight => Math.Max(_peak, _batcher.Statistics.InFlight);

    public override int InFlight
    {
        get
        {
            int now = _batcher.Statistics.InFlight;
            _peak = Math.Max(_peak, now);
            return now;
        }
    }

    public override void Start()
    {
    }

    public override bool Add(in ComparisonEvent item)
    {
        if (_batcher.TryAdd(in item))
        {
            return true;
        }

        // Full (FullMode.Wait): wait for room.
        var add = _batcher.AddAsync(item);
        if (!add.IsCompletedSuccessfully)
        {
            add.AsTask().GetAwaiter().GetResult();
        }

        return true;
    }

    public override async Task DrainAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _batcher.FlushAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
