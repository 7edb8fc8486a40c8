using System.Text.RegularExpressions;

namespace HighPerfBatch.Tests.ClickHouseTests;

/// <summary>The "Sending to ClickHouse" section works when pasted: its table takes its event type's rows.</summary>
public sealed partial class ClickHouseDocumentationTests : IAsyncLifetime
{
    private static readonly string Document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "README.md"));
    private readonly HttpClient _client = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromMinutes(1) };
    private readonly string _table = "hpb_doc_page_views_" + Guid.NewGuid().ToString("N")[..12];

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

    [Fact]
    public void The_document_declares_the_event_type_the_tests_use()
    {
        Assert.Contains(
            "public partial record struct PageView(ulong Id, string Url, double DurationMs, bool IsBot, DateTimeOffset CreatedAt, string? Referrer);",
            Document,
            StringComparison.Ordinal);
        Assert.Contains(
            "[Batched(MaxBatchSize = 10_000, FlushIntervalMilliseconds = 1_000, NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]",
            Document,
            StringComparison.Ordinal);
    }

    [ClickHouseFact]
    public async Task The_documented_table_takes_the_documented_event_type_through_the_documented_options()
    {
        string ddl = SqlBlock().Match(Document).Groups["code"].Value;
        Assert.Contains("CREATE TABLE page_views", ddl, StringComparison.Ordinal);
        await ClickHouseServer.QueryAsync(_client, ddl.Replace("CREATE TABLE page_views", "CREATE TABLE " + _table, StringComparison.Ordinal));

        var endpoint = ClickHouse.InsertUri(ClickHouseServer.BaseUri, _table);
        var sinkOptions = new HttpBatchSinkOptions { Compression = BatchCompression.Gzip, ResponseClassifier = ClickHouse.ResponseClassifier };
        var at = new DateTimeOffset(2024, 10, 14, 5, 11, 6, 123, TimeSpan.FromHours(2));
        var batcher = new Documented.PageViewBatcher(_client, endpoint, sinkOptions);
        Assert.True(batcher.TryAdd(new Documented.PageView(1, "/home", 12.5, false, at, null)));
        Assert.True(batcher.TryAdd(new Documented.PageView(2, "/caf\u00e9?q=\"x\"", 0, true, at.AddSeconds(1), "https://example.com/")));
        await batcher.DisposeAsync();

        Assert.Equal(2, batcher.Statistics.Delivered);
        string rows = await ClickHouseServer.QueryAsync(
            _client, $"SELECT id, url, duration_ms, is_bot, toUnixTimestamp(created_at), referrer FROM {_table} ORDER BY id FORMAT TSV");
        Assert.Equal(
            $"1\t/home\t12.5\t0\t{at.ToUnixTimeSeconds()}\t\\N\n2\t/caf\u00e9?q=\"x\"\t0\t1\t{at.ToUnixTimeSeconds() + 1}\thttps://example.com/\n",
            rows);
    }

    [GeneratedRegex(@"^```sql\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
