using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace HighPerfBatch.Tests.Hosting;

/// <summary>
/// An event type written by hand the way the generator writes one, so the hosting tests do not depend on the generator:
/// it implements <see cref="IBatchable{TSelf}"/> with [Batched(MaxBatchSize = 500, FlushIntervalMilliseconds = 200)] defaults.
/// </summary>
public readonly record struct HostedEvent(long Id, string Name) : IBatchable<HostedEvent>
{
    public static IBatchSerializer<HostedEvent> BatchSerializer => HostedEventSerializer.Instance;

    public static int? DefaultMaxBatchSize => 500;

    public static TimeSpan? DefaultFlushInterval => TimeSpan.FromMilliseconds(200);
}

/// <summary>An event type with no [Batched] defaults.</summary>
public readonly record struct PlainEvent(int Value) : IBatchable<PlainEvent>
{
    public static IBatchSerializer<PlainEvent> BatchSerializer => throw new NotSupportedException("not serialized in these tests");
}

/// <summary>NDJSON of <see cref="HostedEvent"/>: {"id":1,"name":"x"}\n per item (names in the tests need no escaping).</summary>
public sealed class HostedEventSerializer : IBatchSerializer<HostedEvent>
{
    public static HostedEventSerializer Instance { get; } = new();

    public string ContentType => "application/x-ndjson";

    public BatchFormat Format => BatchFormat.NdJson;

    public void Write(ReadOnlySpan<HostedEvent> items, IBufferWriter<byte> output)
    {
        WritePrefix(output);
        for (var i = 0; i < items.Length; i++)
        {
            WriteItem(items[i], i == 0, output);
        }

        WriteSuffix(output);
    }

    public void WritePrefix(IBufferWriter<byte> output)
    {
    }

    public void WriteItem(in HostedEvent item, bool isFirst, IBufferWriter<byte> output)
        => output.Write(Encoding.UTF8.GetBytes($"{{\"id\":{item.Id},\"name\":\"{item.Name}\"}}\n"));

    public void WriteSuffix(IBufferWriter<byte> output)
    {
    }
}

/// <summary>Keeps a copy of every item it is sent.</summary>
public sealed class RecordingSink<T> : IBatchSink<T>
{
    public ConcurrentQueue<T> Items { get; } = new();

    public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken)
    {
        foreach (var item in batch.Span)
        {
            Items.Enqueue(item);
        }

        return default;
    }
}

/// <summary>A batcher type standing in for a generated <c>{Name}Batcher</c>.</summary>
public sealed class HostedEventBatcher : Batcher<HostedEvent>
{
    public HostedEventBatcher(IBatchSink<HostedEvent> sink, BatcherOptions? options = null)
        : base(sink, options, HostedEvent.DefaultMaxBatchSize, HostedEvent.DefaultFlushInterval)
    {
    }
}

internal static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds, up to a bound that only a broken build reaches.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }
}
