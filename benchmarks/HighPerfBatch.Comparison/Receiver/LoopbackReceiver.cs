using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using HdrHistogram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HighPerfBatch.Comparison.Receiver;

/// <summary>
/// The loopback receiver, run in its own process (<c>HighPerfBatch.Comparison receiver</c>) so that its CPU is not
/// counted against the client. <c>POST</c> to any path: counts NDJSON lines, waits the fixed latency, then records,
/// for each line, the time from the event's <c>addedTicks</c> to now (its acknowledgement) and answers 200.
/// <c>GET /_stats</c> reads the counters and percentiles, <c>POST /_reset</c> clears them.
/// </summary>
internal static class LoopbackReceiver
{
    // Every contestant writes the same camelCase JSON with addedTicks first, so the receiver reads the number at a
    // fixed offset and falls back to a search only if a line does not start with it.
    private static ReadOnlySpan<byte> TicksPrefix => "{\"addedTicks\":"u8;

    private static ReadOnlySpan<byte> TicksName => "\"addedTicks\":"u8;

    public static async Task<int> RunAsync(int port, TimeSpan latency)
    {
        var state = new ReceiverState();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 256 * 1024 * 1024;
            k.AddServerHeader = false;
        });
        var app = builder.Build();

        app.MapGet("/_stats", () => Results.Text(state.Snapshot(), "application/json"));
        app.MapPost("/_reset", () =>
        {
            state.Reset();
            return Results.Ok();
        });
        app.MapPost("/{**path}", (HttpContext context) => IngestAsync(context, state, latency));

        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine($"LISTENING {address}");
        Console.Out.Flush();

        // The parent ends us by closing our stdin (or killing us).
        await Task.Run(() => Console.In.ReadToEnd()).ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task IngestAsync(HttpContext context, ReceiverState state, TimeSpan latency)
    {
        var reader = context.Request.BodyReader;
        var ticks = new TickList();
        long bytes = 0;
        int malformed = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                var buffer = result.Buffer;
                bytes += buffer.Length;
                var consumed = ScanLines(ref buffer, ref ticks, ref malformed);
                reader.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    // A body that does not end with '\n' has a last line too.
                    if (!buffer.Slice(consumed).IsEmpty)
                    {
                        var rest = buffer.Slice(consumed);
                        ParseLine(rest.IsSingleSegment ? rest.FirstSpan : rest.ToArray(), ref ticks, ref malformed);
                    }

                    break;
                }
            }

            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }

            state.Acknowledge(ticks.AsSpan(), bytes, malformed, Stopwatch.GetTimestamp());
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        finally
        {
            ticks.Dispose();
        }
    }

    private static SequencePosition ScanLines(ref ReadOnlySequence<byte> buffer, ref TickList ticks, ref int malformed)
    {
        var sequenceReader = new SequenceReader<byte>(buffer);
        while (sequenceReader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n'))
        {
            ParseLine(line, ref ticks, ref malformed);
        }

        return sequenceReader.Position;
    }

    private static void ParseLine(ReadOnlySpan<byte> line, ref TickList ticks, ref int malformed)
    {
        if (line.IsEmpty)
        {
            return;
        }

        if (line[0] != (byte)'{' || line[^1] != (byte)'}')
        {
            malformed++;
            return;
        }

        int at = line.StartsWith(TicksPrefix) ? TicksPrefix.Length : line.IndexOf(TicksName) is var i and >= 0 ? i + TicksName.Length : -1;
        if (at < 0 || !Utf8Parser.TryParse(line[at..], out long added, out _))
        {
            ticks.Add(0); // an event without a timestamp still counts
            return;
        }

        ticks.Add(added);
    }

    /// <summary>Per-request list of add timestamps in a pooled array.</summary>
    private struct TickList : IDisposable
    {
        private long[]? _items;
        private int _count;

        public void Add(long value)
        {
            if (_items is null || _count == _items.Length)
            {
                var bigger = ArrayPool<long>.Shared.Rent(Math.Max(1024, _count * 2));
                if (_items is not null)
                {
                    _items.AsSpan(0, _count).CopyTo(bigger);
                    ArrayPool<long>.Shared.Return(_items);
                }

                _items = bigger;
            }

            _items[_count++] = value;
        }

        public readonly ReadOnlySpan<long> AsSpan() => _items.AsSpan(0, _count);

        public void Dispose()
        {
            if (_items is not null)
            {
                ArrayPool<long>.Shared.Return(_items);
                _items = null;
            }
        }
    }

    private sealed class ReceiverState
    {
        private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;
        private readonly Lock _lock = new();
        private readonly LongHistogram _latencyMicros = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
        private long _events;
        private long _requests;
        private long _bytes;
        private long _malformed;
        private long _untimed;
        private long _since = Stopwatch.GetTimestamp();
        private TimeSpan _cpuSince = CpuTime();

        public void Acknowledge(ReadOnlySpan<long> addedTicks, long bytes, int malformed, long now)
        {
            lock (_lock)
            {
                _events += addedTicks.Length;
                _requests++;
                _bytes += bytes;
                _malformed += malformed;
                long max = _latencyMicros.HighestTrackableValue;
                foreach (var added in addedTicks)
                {
                    if (added <= 0 || added > now)
                    {
                        _untimed++;
                        continue;
                    }

                    _latencyMicros.RecordValue(Math.Min(max, (long)((now - added) / TicksPerMicrosecond)));
                }
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _events = _requests = _bytes = _malformed = _untimed = 0;
                _latencyMicros.Reset();
                _since = Stopwatch.GetTimestamp();
                _cpuSince = CpuTime();
            }
        }

        private static TimeSpan CpuTime()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }

        public string Snapshot()
        {
            lock (_lock)
            {
                var timed = _latencyMicros.TotalCount > 0;
                return JsonSerializer.Serialize(new ReceiverStats
                {
                    Events = _events,
                    Requests = _requests,
                    Bytes = _bytes,
                    Malformed = _malformed,
                    Untimed = _untimed,
                    Seconds = Stopwatch.GetElapsedTime(_since).TotalSeconds,
                    CpuSeconds = (CpuTime() - _cpuSince).TotalSeconds,
                    P50LatencyMs = timed ? _latencyMicros.GetValueAtPercentile(50) / 1000.0 : null,
                    P99LatencyMs = timed ? _latencyMicros.GetValueAtPercentile(99) / 1000.0 : null,
                    MaxLatencyMs = timed ? _latencyMicros.GetMaxValue() / 1000.0 : null,
                }, ReceiverJson.Default.ReceiverStats);
            }
        }
    }
}
