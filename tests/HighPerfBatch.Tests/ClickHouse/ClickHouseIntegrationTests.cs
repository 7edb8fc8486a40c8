using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace HighPerfBatch.Tests.ClickHouseTests;

/// <summary>
/// HttpBatchSink against a real ClickHouse (18.16 here; see .ci/clickhouse.sh). Each test uses a table of its own,
/// dropped at the end (never TRUNCATE: truncated rows came back after a restart on 18.16).
/// </summary>
public sealed class ClickHouseIntegrationTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private readonly HttpClient _client = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly string _table = "hpb_page_views_" + Guid.NewGuid().ToString("N")[..12];

    public ClickHouseIntegrationTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (ClickHouseServer.UnavailableReason is null)
        {
            try
            {
                await ClickHouseServer.QueryAsync(_client, $"DROP TABLE IF EXISTS {_table}");
            }
            catch (HttpRequestException)
            {
                // The server went away: nothing to drop.
            }
        }

        _client.Dispose();
    }

    private Task<string> CreateTableAsync()
        => ClickHouseServer.QueryAsync(_client, $"CREATE TABLE {_table} ({PageView.Columns}) ENGINE = MergeTree ORDER BY id");

    private HttpBatchSink<PageView> Sink() => new(
        _client,
        ClickHouse.InsertUri(ClickHouseServer.BaseUri, _table),
        PageViewSerializer.Instance,
        new HttpBatchSinkOptions { Compression = BatchCompression.Gzip, ResponseClassifier = ClickHouse.ResponseClassifier });

    [ClickHouseFact]
    public async Task A_million_events_from_four_producers_arrive_exactly_once_and_read_back_equal()
    {
        const int producers = 4, perProducer = 250_000, total = producers * perProducer;
        await CreateTableAsync();
        var failures = new ConcurrentQueue<BatchFailure>();
        var batcher = new Batcher<PageView>(Sink(), new BatcherOptions
        {
            MaxBatchSize = 50_000,
            Capacity = 400_000,
            MaxConcurrentSends = 4,
            FlushInterval = TimeSpan.FromMilliseconds(200),
            ShutdownTimeout = TimeSpan.FromMinutes(1),
            OnBatchFailed = failures.Enqueue,
        });

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < perProducer; i++)
            {
                await batcher.AddAsync(PageView.Create((ulong)((p * perProducer) + i), (byte)p));
            }
        })));
        await batcher.DisposeAsync();
        clock.Stop();

        var stats = batcher.Statistics;
        _output.WriteLine($"{total:N0} events in {clock.Elapsed.TotalSeconds:F2} s = {total / clock.Elapsed.TotalSeconds:N0} events/s; {stats}");
        Assert.Empty(failures);
        Assert.Equal(total, stats.Accepted);
        Assert.Equal(total, stats.Delivered);

        string counts = await ClickHouseServer.QueryAsync(_client, $"SELECT count(), uniqExact(id), min(id), max(id) FROM {_table} FORMAT TSV");
        Assert.Equal($"{total}\t{total}\t0\t{total - 1}", counts.Trim());

        ulong[] sample = [0, 1, 2, 3, 4, 5, 7, 12_345, 250_000, 499_999, 777_777, 999_999];
        string rows = await ClickHouseServer.QueryAsync(
            _client,
            $"SELECT id, producer, url, duration_ms, is_bot, toUnixTimestamp(created_at) AS created_unix, referrer FROM {_table} " +
            $"WHERE id IN ({string.Join(",", sample)}) ORDER BY id FORMAT JSONEachRow");
        var readBack = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseRow).ToArray();
        var expected = sample.Select(id => PageView.Create(id, (byte)(id / perProducer))).ToArray();
        Assert.Equal(expected.Length, readBack.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = readBack[i];
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Producer, a.Producer);
            Assert.Equal(e.Url, a.Url);
            Assert.Equal(e.DurationMs, a.DurationMs);
            Assert.Equal(e.IsBot, a.IsBot);
            Assert.Equal(e.CreatedAt.ToUnixTimeSeconds(), a.CreatedAt.ToUnixTimeSeconds()); // DateTime: whole seconds, as sent
            Assert.Equal(e.Referrer, a.Referrer);
        }
    }

    [ClickHouseFact]
    public async Task A_malformed_batch_fails_without_retries_and_the_batcher_carries_on()
    {
        await CreateTableAsync();
        var failures = new ConcurrentQueue<BatchFailure>();
        await using var batcher = new Batcher<PageView>(Sink(), new BatcherOptions
        {
            MaxBatchSize = 100,
            MaxRetries = 5,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            OnBatchFailed = failures.Enqueue,
        });

        for (ulong i = 0; i < 100; i++)
        {
            Assert.True(batcher.TryAdd(PageView.Create(i, 0)));
        }

        await batcher.FlushAsync();
        for (ulong i = 100; i < 200; i++)
        {
            Assert.True(batcher.TryAdd(PageView.Create(i, 0) with { Poison = i == 150 }));
        }

        await batcher.FlushAsync();
        for (ulong i = 200; i < 300; i++)
        {
            Assert.True(batcher.TryAdd(PageView.Create(i, 0)));
        }

        await batcher.FlushAsync();

        var stats = batcher.Statistics;
        Assert.Equal(200, stats.Delivered);
        Assert.Equal(100, stats.Failed);
        Assert.Equal(0, stats.Retries);
        var failure = Assert.Single(failures);
        Assert.Equal(BatchFailureReason.Permanent, failure.Reason);
        Assert.Equal(1, failure.Attempts);
        var error = Assert.IsType<HttpBatchSendException>(failure.Exception);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.StartsWith("Code: 27", error.ResponseBodyExcerpt, StringComparison.Ordinal);
        Assert.Contains("Code: 27", error.Message, StringComparison.Ordinal);

        string counts = await ClickHouseServer.QueryAsync(_client, $"SELECT count(), countIf(id >= 100 AND id < 200) FROM {_table} FORMAT TSV");
        Assert.Equal("200\t0", counts.Trim()); // the whole malformed batch was refused, the others went in
    }

    [ClickHouseFact]
    public async Task An_unknown_column_fails_permanently_with_code_117()
    {
        await ClickHouseServer.QueryAsync(_client, $"CREATE TABLE {_table} (id UInt64) ENGINE = MergeTree ORDER BY id");

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => Sink().SendAsync(new[] { PageView.Create(1, 0) }, CancellationToken.None).AsTask());

        Assert.True(ex.IsPermanent);
        Assert.Equal(117, ClickHouse.ParseErrorCode(ex.ResponseBodyExcerpt));
    }

    private static PageView ParseRow(string json)
    {
        using var document = JsonDocument.Parse(json);
        var row = document.RootElement;

        // 18.16 quotes 64-bit integers in JSON output.
        static ulong UInt64(JsonElement e) => e.ValueKind == JsonValueKind.String ? ulong.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetUInt64();
        long unix = (long)UInt64(row.GetProperty("created_unix"));
        return new PageView(
            UInt64(row.GetProperty("id")),
            row.GetProperty("producer").GetByte(),
            row.GetProperty("url").GetString()!,
            row.GetProperty("duration_ms").GetDouble(),
            row.GetProperty("is_bot").GetByte() == 1,
            DateTimeOffset.FromUnixTimeSeconds(unix),
            row.GetProperty("referrer").ValueKind == JsonValueKind.Null ? null : row.GetProperty("referrer").GetString());
    }
}
