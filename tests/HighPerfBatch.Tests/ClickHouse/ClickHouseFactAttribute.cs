namespace HighPerfBatch.Tests.ClickHouseTests;

/// <summary>
/// A fact that needs a ClickHouse server: when <see cref="ClickHouseServer.BaseUri"/>/ping does not answer <c>Ok.</c>
/// at discovery, the test is reported as skipped with the reason (xunit 2 has no dynamic skip, so the attribute
/// sets <see cref="FactAttribute.Skip"/> itself). With <c>HIGHPERFBATCH_REQUIRE_CLICKHOUSE=1</c> (CI) it never
/// skips, so a missing server fails the run instead of passing it silently.
/// </summary>
public sealed class ClickHouseFactAttribute : FactAttribute
{
    public ClickHouseFactAttribute()
    {
        if (ClickHouseServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Where the tests find ClickHouse, and a tiny HTTP client for queries (the .NET drivers do not speak to 18.16).</summary>
public static class ClickHouseServer
{
    private static readonly Lazy<string?> s_unavailable = new(Probe);

    /// <summary><c>CLICKHOUSE_URL</c>, or <c>http://127.0.0.1:8123/</c>.</summary>
    public static Uri BaseUri { get; } = new(Environment.GetEnvironmentVariable("CLICKHOUSE_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:8123/");

    public static string? UnavailableReason => s_unavailable.Value;

    public static async Task<string> QueryAsync(HttpClient client, string sql)
    {
        using var content = new StringContent(sql);
        using var response = await client.PostAsync(BaseUri, content);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ClickHouse answered {(int)response.StatusCode} to `{sql}`: {body}");
        return body;
    }

    private static string? Probe()
    {
        if (Environment.GetEnvironmentVariable("HIGHPERFBATCH_REQUIRE_CLICKHOUSE") == "1")
        {
            return null;
        }

        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, "ping")));
            using var reader = new StreamReader(response.Content.ReadAsStream());
            string body = reader.ReadToEnd().Trim();
            return body == "Ok."
                ? null
                : $"ClickHouse at {BaseUri} answered /ping with {(int)response.StatusCode} '{body}' instead of 'Ok.'";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return $"ClickHouse is not reachable at {BaseUri} ({ex.GetType().Name}: {ex.Message}); start it with `.ci/clickhouse.sh start`";
        }
    }
}
