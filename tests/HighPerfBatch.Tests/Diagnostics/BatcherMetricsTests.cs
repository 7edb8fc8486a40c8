using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

using HighPerfBatch.Tests.Hosting;

namespace HighPerfBatch.Tests.Diagnostics;

/// <summary>
/// Reads the <c>HighPerfBatch</c> meter with a <see cref="MeterListener"/>. The meter is process-wide and other tests run
/// in parallel, so every assertion looks only at measurements tagged with this file's own event types.
/// </summary>
public class BatcherMetricsTests
{
    private const string EventTypeTag = "highperfbatch.event.type";

    private static readonly string[] CounterNames =
    [
        "highperfbatch.items.accepted", "highperfbatch.items.rejected", "highperfbatch.items.dropped",
        "highperfbatch.items.delivered", "highperfbatch.items.failed", "highperfbatch.batches.sent",
        "highperfbatch.batches.failed", "highperfbatch.retries",
    ];

    private static readonly string[] GaugeNames = ["highperfbatch.items.buffered", "highperfbatch.batches.in_flight"];

    public readonly record struct MeteredEvent(long Value);

    public readonly record struct BlockedEvent(long Value);

    [Fact]
    public async Task Counters_and_histograms_report_each_batch_tagged_with_the_event_type()
    {
        using var recorder = new MeterRecorder();
        // Batch 1 (0..4) fails once, then is delivered; batch 2 (negative values) is refused for good.
        var attempts = 0;
        var sink = new ScriptedSink<MeteredEvent>(batch =>
        {
            if (batch[0].Value < 0)
            {
                throw new BatchSendException("bad rows", isPermanent: true);
            }

            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new HttpRequestException("connection reset");
            }
        });
        var batcher = new Batcher<MeteredEvent>(sink, new BatcherOptions
        {
            MaxBatchSize = 5,
            FlushInterval = TimeSpan.FromHours(1),
            RetryBaseDelay = TimeSpan.Zero,
        });

        for (var i = 0; i < 5; i++)
        {
            Assert.True(batcher.TryAdd(new MeteredEvent(i)));
        }

        await Poll.UntilAsync(() => batcher.Statistics.BatchesSent == 1, "the first batch is delivered");
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(batcher.TryAdd(new MeteredEvent(-i)));
        }

        await Poll.UntilAsync(() => batcher.Statistics.BatchesFailed == 1, "the second batch is given up");
        recorder.Listener.RecordObservableInstruments();
        await batcher.DisposeAsync();

        var tag = nameof(MeteredEvent);
        Assert.Equal(10, recorder.Last("highperfbatch.items.accepted", tag));
        Assert.Equal(0, recorder.Last("highperfbatch.items.rejected", tag));
        Assert.Equal(0, recorder.Last("highperfbatch.items.dropped", tag));
        Assert.Equal(5, recorder.Last("highperfbatch.items.delivered", tag));
        Assert.Equal(5, recorder.Last("highperfbatch.items.failed", tag));
        Assert.Equal(1, recorder.Last("highperfbatch.batches.sent", tag));
        Assert.Equal(1, recorder.Last("highperfbatch.batches.failed", tag));
        Assert.Equal(1, recorder.Last("highperfbatch.retries", tag));
        Assert.Equal(0, recorder.Last("highperfbatch.items.buffered", tag));
        Assert.Equal(0, recorder.Last("highperfbatch.batches.in_flight", tag));

        var sizes = recorder.All("highperfbatch.batch.size", tag);
        Assert.Equal([5.0, 5.0], sizes.Select(m => m.Value));
        Assert.Equal(["delivered", "failed"], sizes.Select(m => m.Tags["highperfbatch.outcome"]).Order());
        var durations = recorder.All("highperfbatch.send.duration", tag);
        Assert.Equal(2, durations.Count);
        Assert.All(durations, m => Assert.True(m.Value >= 0));
        Assert.All(recorder.InstrumentsSeen.Where(i => i.Name == "highperfbatch.send.duration"), i => Assert.Equal("s", i.Unit));
    }

    [Fact]
    public async Task Gauges_show_what_is_buffered_and_in_flight_and_counters_show_rejections()
    {
        using var recorder = new MeterRecorder();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new ScriptedSink<BlockedEvent>(_ => { }, release.Task);
        var batcher = new Batcher<BlockedEvent>(sink, new BatcherOptions
        {
            MaxBatchSize = 2,
            Capacity = 2,
            MaxConcurrentSends = 1,
            FullMode = BatchFullMode.DropWrite,
            FlushInterval = TimeSpan.FromHours(1),
        });

        batcher.TryAdd(new BlockedEvent(1));
        batcher.TryAdd(new BlockedEvent(2));
        await Poll.UntilAsync(() => batcher.Statistics.InFlight == 1, "the first batch is in the sink");
        var accepted = 0;
        for (var i = 3; i < 10; i++)
        {
            accepted += batcher.TryAdd(new BlockedEvent(i)) ? 1 : 0;
        }

        var expected = batcher.Statistics; // stable: the only send is blocked and nothing else is due
        recorder.Listener.RecordObservableInstruments();
        release.SetResult();
        await batcher.DisposeAsync();

        var tag = nameof(BlockedEvent);
        Assert.Equal(2, accepted);
        Assert.Equal(1, recorder.Last("highperfbatch.batches.in_flight", tag));
        Assert.Equal(expected.Buffered, recorder.Last("highperfbatch.items.buffered", tag));
        Assert.Equal(2, recorder.Last("highperfbatch.items.buffered", tag));
        Assert.Equal(5, recorder.Last("highperfbatch.items.rejected", tag));
        Assert.Equal(4, recorder.Last("highperfbatch.items.accepted", tag));
        Assert.Equal(0, recorder.Last("highperfbatch.items.delivered", tag));
    }

    [Fact]
    public void Meter_publishes_the_instruments_the_README_names()
    {
        using var recorder = new MeterRecorder();
        var names = recorder.InstrumentsSeen.Select(i => i.Name).ToHashSet();

        foreach (var name in CounterNames)
        {
            Assert.Contains(name, names);
            Assert.IsAssignableFrom<ObservableCounter<long>>(recorder.InstrumentsSeen.First(i => i.Name == name));
        }

        foreach (var name in GaugeNames)
        {
            Assert.Contains(name, names);
            Assert.IsAssignableFrom<ObservableGauge<long>>(recorder.InstrumentsSeen.First(i => i.Name == name));
        }

        Assert.Contains("highperfbatch.send.duration", names);
        Assert.Contains("highperfbatch.batch.size", names);
    }

    private sealed class ScriptedSink<T>(Action<T[]> onBatch, Task? gate = null) : IBatchSink<T>
    {
        public async ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
        {
            var items = batch.ToArray();
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken);
            }

            onBatch(items);
        }
    }

    private sealed record Measured(double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Listens to every instrument of the HighPerfBatch meter and keeps what it measures.</summary>
    private sealed class MeterRecorder : IDisposable
    {
        private readonly ConcurrentQueue<(string Instrument, Measured Measurement)> _measurements = new();

        public MeterRecorder()
        {
            Listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "HighPerfBatch")
                {
                    InstrumentsSeen.Add(instrument);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            Listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            Listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            Listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            Listener.Start();
        }

        public MeterListener Listener { get; } = new();

        public ConcurrentBag<Instrument> InstrumentsSeen { get; } = [];

        public List<Measured> All(string instrument, string eventType)
            => _measurements.Where(m => m.Instrument == instrument
                    && m.Measurement.Tags.TryGetValue(EventTypeTag, out var t) && Equals(t, eventType))
                .Select(m => m.Measurement).ToList();

        public double Last(string instrument, string eventType)
        {
            var all = All(instrument, eventType);
            Assert.True(all.Count > 0, $"no {instrument} measurement tagged {EventTypeTag}={eventType}");
            return all[^1].Value;
        }

        public void Dispose() => Listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            // Measurements of other tests' batchers are ignored before anything is allocated: the callback runs on their
            // threads, and one of them measures that its thread allocates nothing.
            var ours = false;
            foreach (var tag in tags)
            {
                ours |= tag.Key == EventTypeTag && tag.Value is nameof(MeteredEvent) or nameof(BlockedEvent);
            }

            if (!ours)
            {
                return;
            }

            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, new Measured(value, copy)));
        }
    }
}
