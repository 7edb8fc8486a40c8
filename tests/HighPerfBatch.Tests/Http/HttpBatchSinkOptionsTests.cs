namespace HighPerfBatch.Tests.Http;

public class HttpBatchSinkOptionsTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:1/");

    public static TheoryData<string, Action<HttpBatchSinkOptions>> BadOptions => new()
    {
        { "MaxRequestBytes", o => o.MaxRequestBytes = 0 },
        { "MaxRequestBytes", o => o.MaxRequestBytes = -1 },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.FromSeconds(-2) },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.FromDays(30) },
        { "Compression", o => o.Compression = (BatchCompression)7 },
        { "CompressionLevel", o => o.CompressionLevel = (System.IO.Compression.CompressionLevel)42 },
        { "Headers", o => o.Headers["Content-Length"] = "12" },
        { "Headers", o => o.Headers["Transfer-Encoding"] = "chunked" },
        { "Headers", o => o.Headers["Content-Encoding"] = "gzip" },
        { "Headers", o => o.Headers["Bad Name"] = "x" },
        { "Headers", o => o.Headers[""] = "x" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_setting_throws_ArgumentOutOfRangeException_naming_the_option(string option, Action<HttpBatchSinkOptions> configure)
    {
        var options = new HttpBatchSinkOptions();
        configure(options);
        using var client = new HttpClient();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new HttpBatchSink<TestEvent>(client, Endpoint, TestEventSerializer.NdJson, options));

        Assert.Equal(option, ex.ParamName);
        Assert.Contains("HttpBatchSinkOptions." + option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_value_with_a_newline_is_refused_without_showing_the_value()
    {
        var options = new HttpBatchSinkOptions { Headers = { ["Authorization"] = "Bearer top-secret\r\nX-Evil: 1" } };
        using var client = new HttpClient();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new HttpBatchSink<TestEvent>(client, Endpoint, TestEventSerializer.NdJson, options));

        Assert.Equal("Headers", ex.ParamName);
        Assert.Contains("Authorization", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_method_throws_ArgumentNullException_naming_the_option()
    {
        using var client = new HttpClient();

        var ex = Assert.Throws<ArgumentNullException>(() => new HttpBatchSink<TestEvent>(client, Endpoint, TestEventSerializer.NdJson, new HttpBatchSinkOptions { Method = null! }));

        Assert.Equal("Method", ex.ParamName);
    }

    [Fact]
    public void Infinite_timeout_is_accepted()
    {
        using var client = new HttpClient();

        var sink = new HttpBatchSink<TestEvent>(client, Endpoint, TestEventSerializer.NdJson, new HttpBatchSinkOptions { RequestTimeout = Timeout.InfiniteTimeSpan });

        Assert.Equal(Timeout.InfiniteTimeSpan, sink.Options.RequestTimeout);
    }

    [Fact]
    public void Options_and_their_headers_are_copied_at_construction()
    {
        var options = new HttpBatchSinkOptions { MaxRequestBytes = 1_000, Headers = { ["X-Tenant"] = "a" } };
        using var client = new HttpClient();
        var sink = new HttpBatchSink<TestEvent>(client, Endpoint, TestEventSerializer.NdJson, options);

        options.MaxRequestBytes = 0;
        options.Headers["X-Tenant"] = "b";

        Assert.Equal(1_000, sink.Options.MaxRequestBytes);
        Assert.Equal("a", sink.Options.Headers["X-Tenant"]);
    }

    [Fact]
    public void Defaults_are_post_four_mebibytes_and_thirty_seconds()
    {
        var options = new HttpBatchSinkOptions();

        Assert.Equal(HttpMethod.Post, options.Method);
        Assert.Equal(4 * 1024 * 1024, options.MaxRequestBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(BatchCompression.None, options.Compression);
        Assert.Empty(options.Headers);
        Assert.Null(options.ResponseClassifier);
    }

    [Fact]
    public void Null_arguments_throw_ArgumentNullException()
    {
        using var client = new HttpClient();

        Assert.Throws<ArgumentNullException>(() => new HttpBatchSink<TestEvent>(null!, Endpoint, TestEventSerializer.NdJson));
        Assert.Throws<ArgumentNullException>(() => new HttpBatchSink<TestEvent>(client, null!, TestEventSerializer.NdJson));
        Assert.Throws<ArgumentNullException>(() => new HttpBatchSink<TestEvent>(client, Endpoint, null!));
    }
}
