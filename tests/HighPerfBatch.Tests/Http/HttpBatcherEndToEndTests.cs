using System.Collections.Concurrent;
using System.Globalization;

namespace HighPerfBatch.Tests.Http;

/// <summary>Batcher → HttpBatchSink → real sockets → Kestrel: what the receiver gets, and what the statistics say.</summary>
public sealed class HttpBatcherEndToEndTests : IAsyncLifetime
{
    private TestReceiver _receiver = null!;
    private readonly HttpClient _client = new(new SocketsHttpHandler());

    public async Task InitializeAsync() => _receiver = await TestReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _client.Dispose();
    }

    private static async Task ProduceAsync(Batcher<TestEvent> batcher, int producers, int perProducer)
    {
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < perProducer; i++)
            {
                await batcher.AddAsync(TestEvent.Create((p * (long)perProducer) + i));
            }
        })));
    }

    [Theory]
    [InlineData(BatchCompression.None)]
    [InlineData(BatchCompression.Gzip)]
    [InlineData(BatchCompression.Brotli)]
    public async Task Every_event_from_four_producers_arrives_exactly_once(BatchCompression compression)
    {
        const int producers = 4, perProducer = 25_000;
        var sink = new HttpBatchSink<TestEvent>(_client, _receiver.Endpoint, TestEventSerializer.NdJson,
            new HttpBatchSinkOptions { Compression = compression, MaxRequestBytes = 64 * 1024 });
        var batcher = new Batcher<TestEvent>(sink, new BatcherOptions { MaxBatchSize = 2_000, Capacity = 20_000 });

        await ProduceAsync(batcher, producers, perProducer);
        await batcher.DisposeAsync();

        var stats = batcher.Statistics;
        Assert.Equal(producers * perProducer, stats.Accepted);
        Assert.Equal(stats.Accepted, stats.Delivered);
        Assert.Equal(0, stats.Failed);
        Assert.All(_receiver.Requests, r => Assert.Null(r.Error));
        Assert.Equal(Enumerable.Range(0, producers * perProducer).Select(i => (long)i), _receiver.DeliveredIds.Order());
        Assert.All(_receiver.Requests, r => Assert.True(r.UncompressedBytes - r.LastItemBytes < 64 * 1024));
    }

    [Fact]
    public async Task The_batcher_survives_every_kind_of_failure_and_the_statistics_add_up()
    {
        const int poisonId = 777, tooManyItems = 300;
        var faults = new ConcurrentDictionary<string, int>();
        int small = 0; // requests that pass the size and poison rules, numbered as they arrive
        _receiver.Respond = r =>
        {
            Reply reply = r.Ids.Count > tooManyItems ? new Reply(413)
                : r.Ids.Contains(poisonId) ? new Reply(400) { BodyBytes = 1 << 20 }
                : Interlocked.Increment(ref small) switch
                {
                    2 => new Reply(500) { RetryAfter = "1" },
                    4 => new Reply(503) { RetryAfter = DateTimeOffset.UtcNow.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture) },
                    6 => new Reply(429) { RetryAfter = "2" },
                    8 => new Reply(200) { Reset = true },
                    10 => new Reply(200) { Hang = true },
                    12 => new Reply(502),
                    14 => new Reply(504),
                    16 => new Reply(408),
                    _ => Reply.Ok,
                };
            faults.AddOrUpdate(reply.Reset ? "reset" : reply.Hang ? "hang" : reply.Status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
            return reply;
        };
        var failures = new ConcurrentQueue<BatchFailure>();
        var sink = new HttpBatchSink<TestEvent>(_client, _receiver.Endpoint, TestEventSerializer.JsonArray,
            new HttpBatchSinkOptions { Compression = BatchCompression.Gzip, RequestTimeout = TimeSpan.FromMilliseconds(500) });
        var batcher = new Batcher<TestEvent>(sink, new BatcherOptions
        {
            MaxBatchSize = 1_000,
            Capacity = 10_000,
            MaxRetries = 20,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50), // caps the receivers' Retry-After, so the test stays quick
            OnBatchFailed = failures.Enqueue,
        });

        await ProduceAsync(batcher, producers: 4, perProducer: 5_000);
        await batcher.DisposeAsync();

        var stats = batcher.Statistics;
        Assert.Equal(20_000, stats.Accepted);
        Assert.Equal(stats.Accepted, stats.Delivered + stats.Dropped + stats.Failed);

        // One batch failed, permanently: the poisoned request was sent once (never retried), and the batch's
        // failed items are that request's and those of the same batch not yet sent (a sink reports only a
        // delivered prefix), never more.
        var poisoned = _receiver.Requests.Single(r => r.Ids.Contains(poisonId) && r.Ids.Count <= tooManyItems);
        var failure = Assert.Single(failures);
        Assert.Equal(BatchFailureReason.Permanent, failure.Reason);
        Assert.Equal(failure.ItemCount, stats.Failed);
        Assert.InRange(stats.Failed, poisoned.Ids.Count, 1_000);
        var error = Assert.IsType<HttpBatchSendException>(failure.Exception);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.ResponseBodyExcerpt!.Length <= HttpBatchSendException.MaxBodyExcerptBytes);

        // Everything delivered arrived exactly once, and the statistics agree with the receiver.
        var delivered = _receiver.DeliveredIds;
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Equal(stats.Delivered, delivered.Count);
        Assert.Empty(delivered.Intersect(poisoned.Ids));
        Assert.All(_receiver.Requests, r => Assert.Null(r.Error));
        foreach (var kind in new[] { "413", "400", "500", "503", "429", "reset", "hang", "502", "504", "408" })
        {
            Assert.True(faults.ContainsKey(kind), $"no {kind} was injected");
        }

        Assert.True(stats.Retries >= 8, $"{stats.Retries} retries");
    }

    [Fact]
    public async Task Shutdown_while_the_receiver_hangs_reports_the_batch_as_failed_not_lost()
    {
        _receiver.Respond = _ => new Reply(200) { Hang = true };
        var sink = new HttpBatchSink<TestEvent>(_client, _receiver.Endpoint, TestEventSerializer.NdJson,
            new HttpBatchSinkOptions { RequestTimeout = Timeout.InfiniteTimeSpan });
        var failures = new ConcurrentQueue<BatchFailure>();
        var batcher = new Batcher<TestEvent>(sink, new BatcherOptions
        {
            MaxBatchSize = 100,
            ShutdownTimeout = TimeSpan.FromMilliseconds(300),
            OnBatchFailed = failures.Enqueue,
        });

        for (int i = 0; i < 250; i++)
        {
            Assert.True(batcher.TryAdd(TestEvent.Create(i)));
        }

        await Eventually.TrueAsync(() => _receiver.Requests.Count > 0);
        await batcher.DisposeAsync();

        var stats = batcher.Statistics;
        Assert.Equal(250, stats.Accepted);
        Assert.Equal(0, stats.Delivered);
        Assert.Equal(250, stats.Failed);
        Assert.All(failures, f => Assert.Equal(BatchFailureReason.Shutdown, f.Reason));
    }
}
