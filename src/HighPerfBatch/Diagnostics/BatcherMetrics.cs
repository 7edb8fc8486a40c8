using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HighPerfBatch.Diagnostics;

/// <summary>What the metrics read from a live batcher, without knowing its item type.</summary>
internal interface IBatcherMetricsSource
{
    BatcherStatistics Statistics { get; }

    KeyValuePair<string, object?> EventTypeTag { get; }
}

/// <summary>
/// The <c>HighPerfBatch</c> meter. Counters and gauges are observable: they read <see cref="Batcher{T}.Statistics"/>
/// of every live batcher when a listener collects, so the add path pays nothing for them. Histograms are recorded
/// once per batch, and only when someone listens.
/// </summary>
internal static class BatcherMetrics
{
    public const string MeterName = "HighPerfBatch";
    public const string EventTypeTagName = "highperfbatch.event.type";

    private static readonly object s_gate = new();
    private static readonly List<WeakReference<IBatcherMetricsSource>> s_sources = [];
    private static readonly Meter s_meter = new(MeterName, typeof(BatcherMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Histogram<double> SendDuration = s_meter.CreateHistogram<double>(
        "highperfbatch.send.duration", "s", "Time from handing a batch to the sink to its delivery or failure, retries included.");

    public static readonly Histogram<int> BatchSize = s_meter.CreateHistogram<int>(
        "highperfbatch.batch.size", "{item}", "Items per batch handed to the sink.");

#pragma warning disable CA1823, IDE0052 // Observable instruments live as long as the meter; the fields document them.
    private static readonly ObservableCounter<long> s_accepted = Counter("highperfbatch.items.accepted", "{item}", "Items accepted.", s => s.Accepted);
    private static readonly ObservableCounter<long> s_rejected = Counter("highperfbatch.items.rejected", "{item}", "Items refused (full or disposed).", s => s.Rejected);
    private static readonly ObservableCounter<long> s_dropped = Counter("highperfbatch.items.dropped", "{item}", "Accepted items discarded unsent (DropOldest).", s => s.Dropped);
    private static readonly ObservableCounter<long> s_delivered = Counter("highperfbatch.items.delivered", "{item}", "Items the sink acknowledged.", s => s.Delivered);
    private static readonly ObservableCounter<long> s_failed = Counter("highperfbatch.items.failed", "{item}", "Accepted items given up.", s => s.Failed);
    private static readonly ObservableCounter<long> s_batchesSent = Counter("highperfbatch.batches.sent", "{batch}", "Batches delivered.", s => s.BatchesSent);
    private static readonly ObservableCounter<long> s_batchesFailed = Counter("highperfbatch.batches.failed", "{batch}", "Batches given up.", s => s.BatchesFailed);
    private static readonly ObservableCounter<long> s_retries = Counter("highperfbatch.retries", "{retry}", "Retry attempts.", s => s.Retries);
    private static readonly ObservableGauge<long> s_buffered = s_meter.CreateObservableGauge(
        "highperfbatch.items.buffered", () => Observe(s => s.Buffered), "{item}", "Items accepted and not yet handed to the sink.");
    private static readonly ObservableGauge<long> s_inFlight = s_meter.CreateObservableGauge(
        "highperfbatch.batches.in_flight", () => Observe(s => s.InFlight), "{batch}", "Batches handed to the sink and not yet completed.");
#pragma warning restore CA1823, IDE0052

    public static void Register(IBatcherMetricsSource source)
    {
        lock (s_gate)
        {
            s_sources.Add(new WeakReference<IBatcherMetricsSource>(source));
        }
    }

    public static void Unregister(IBatcherMetricsSource source)
    {
        lock (s_gate)
        {
            s_sources.RemoveAll(w => !w.TryGetTarget(out IBatcherMetricsSource? s) || ReferenceEquals(s, source));
        }
    }

    private static ObservableCounter<long> Counter(string name, string unit, string description, Func<BatcherStatistics, long> read)
        => s_meter.CreateObservableCounter(name, () => Observe(read), unit, description);

    private static List<Measurement<long>> Observe(Func<BatcherStatistics, long> read)
    {
        var measurements = new List<Measurement<long>>();
        lock (s_gate)
        {
            // Weak references: a batcher that is never disposed must still be collectable.
            for (int i = s_sources.Count - 1; i >= 0; i--)
            {
                if (s_sources[i].TryGetTarget(out IBatcherMetricsSource? source))
                {
                    measurements.Add(new Measurement<long>(read(source.Statistics), source.EventTypeTag));
                }
                else
                {
                    s_sources.RemoveAt(i);
                }
            }
        }

        return measurements;
    }

    /// <summary>Tag list for the histograms.</summary>
    public static TagList Tags(KeyValuePair<string, object?> eventType, bool succeeded)
        => new() { eventType, { "highperfbatch.outcome", succeeded ? "delivered" : "failed" } };
}
