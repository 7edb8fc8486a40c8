namespace HighPerfBatch.Comparison.Contestants;

/// <summary>Settings every contestant gets alike.</summary>
public sealed record ContestantSettings(
    Uri Endpoint,
    int BatchSize,
    TimeSpan FlushInterval,
    int Capacity,
    int MaxConcurrentSends);

/// <summary>
/// One way of getting events from producers to the receiver. Producers call <see cref="Add"/> from several threads;
/// it may block while the contestant's queue is full (backpressure), or drop and return false when its design drops.
/// </summary>
public abstract class Contestant : IAsyncDisposable
{
    private long _delivered;
    private long _failed;
    private int _inFlight;
    private int _peakInFlight;

    public abstract string Name { get; }

    /// <summary>Requests it can have in flight at once by design, or null when nothing bounds it.</summary>
    public abstract int? Concurrency { get; }

    /// <summary>False for the Ceiling, which has no producers: it posts pre-serialized bodies itself.</summary>
    public virtual bool UsesProducers => true;

    /// <summary>Events the receiver acknowledged with a success status, counted by the client.</summary>
    public virtual long Delivered => Volatile.Read(ref _delivered);

    /// <summary>Events accepted and then lost (failed request, dropped by a full queue).</summary>
    public virtual long Lost => Volatile.Read(ref _failed);

    /// <summary>Most requests seen in flight at once.</summary>
    public virtual int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests in flight right now (sampled by the runner to report the mean).</summary>
    public virtual int InFlight => Volatile.Read(ref _inFlight);

    public abstract void Start();

    public abstract bool Add(in ComparisonEvent item);

    /// <summary>Stops accepting, sends what is buffered (bounded by <paramref name="timeout"/>), and stops.</summary>
    public abstract Task DrainAsync(TimeSpan timeout);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }

    protected internal void CountDelivered(int events) => Interlocked.Add(ref _delivered, events);

    protected internal void CountFailed(int events) => Interlocked.Add(ref _failed, events);

    protected internal void EnterRequest()
    {
        int now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
        }
    }

    protected internal void ExitRequest() => Interlocked.Decrement(ref _inFlight);
}
