using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace HighPerfBatch.Tests.Http;

/// <summary>The sink on its own, against a real Kestrel receiver on 127.0.0.1.</summary>
public sealed class HttpBatchSinkTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-api-key-value";

    private TestReceiver _receiver = null!;
    private readonly HttpClient _client = new(new SocketsHttpHandler());

    public async Task InitializeAsync() => _receiver = await TestReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _client.Dispose();
    }

    private HttpBatchSink<TestEvent> Sink(HttpBatchSinkOptions? options = null, IBatchSerializer<TestEvent>? serializer = null)
        => new(_client, _receiver.Endpoint, serializer ?? TestEventSerializer.NdJson, options);

    private static HttpBatchSinkOptions WithSecret(HttpBatchSinkOptions? options = null)
    {
        options ??= new HttpBatchSinkOptions();
        options.Headers["X-Api-Key"] = Secret;
        return options;
    }

    [Theory]
    [InlineData(BatchCompression.None, BatchFormat.NdJson)]
    [InlineData(BatchCompression.Gzip, BatchFormat.NdJson)]
    [InlineData(BatchCompression.Brotli, BatchFormat.NdJson)]
    [InlineData(BatchCompression.None, BatchFormat.JsonArray)]
    [InlineData(BatchCompression.Gzip, BatchFormat.JsonArray)]
    [InlineData(BatchCompression.Brotli, BatchFormat.JsonArray)]
    public async Task Body_decodes_to_the_same_events_in_every_compression_and_format(BatchCompression compression, BatchFormat format)
    {
        var serializer = format == BatchFormat.NdJson ? TestEventSerializer.NdJson : TestEventSerializer.JsonArray;
        var events = TestEvent.Range(5_000); // ~300 KB: several flushes of the pipe
        var sink = Sink(new HttpBatchSinkOptions { Compression = compression }, serializer);

        await sink.SendAsync(events, CancellationToken.None);

        var request = Assert.Single(_receiver.Requests);
        Assert.Null(request.Error);
        Assert.Equal(events.Select(e => e.Id), request.Ids);
        Assert.Equal(serializer.ContentType, request.ContentType);
        Assert.Equal(compression switch { BatchCompression.Gzip => "gzip", BatchCompression.Brotli => "br", _ => null }, request.ContentEncoding);
        Assert.Equal("chunked", request.Headers.GetValueOrDefault("Transfer-Encoding"));
    }

    [Theory]
    [InlineData(BatchCompression.None, BatchFormat.NdJson)]
    [InlineData(BatchCompression.Gzip, BatchFormat.NdJson)]
    [InlineData(BatchCompression.None, BatchFormat.JsonArray)]
    public async Task Byte_budget_cuts_a_batch_at_item_boundaries_and_every_item_arrives_once(BatchCompression compression, BatchFormat format)
    {
        var serializer = format == BatchFormat.NdJson ? TestEventSerializer.NdJson : TestEventSerializer.JsonArray;
        var random = new Random(42);
        var events = Enumerable.Range(0, 2_000).Select(i => TestEvent.Create(i, random.Next(1, 400))).ToArray();
        const long budget = 4_000;
        var sink = Sink(new HttpBatchSinkOptions { Compression = compression, MaxRequestBytes = budget }, serializer);

        await sink.SendAsync(events, CancellationToken.None);

        var requests = _receiver.Requests.OrderBy(r => r.Number).ToArray();
        Assert.True(requests.Length > 10, $"only {requests.Length} requests");
        Assert.All(requests, r => Assert.Null(r.Error));
        int suffix = format == BatchFormat.JsonArray ? 1 : 0;
        Assert.All(requests, r => Assert.True(
            r.UncompressedBytes - r.LastItemBytes - suffix < budget,
            $"request {r.Number}: {r.UncompressedBytes} bytes, last item {r.LastItemBytes}"));
        Assert.Equal(events.Select(e => e.Id), requests.SelectMany(r => r.Ids));
    }

    [Fact]
    public async Task An_item_larger_than_the_budget_goes_alone()
    {
        var events = new[] { TestEvent.Create(1), TestEvent.Create(2, nameLength: 5_000), TestEvent.Create(3) };
        var sink = Sink(new HttpBatchSinkOptions { MaxRequestBytes = 1_000 });

        await sink.SendAsync(events, CancellationToken.None);

        var requests = _receiver.Requests.OrderBy(r => r.Number).Select(r => r.Ids.ToArray()).ToArray();
        Assert.Equal([[1L, 2L], [3L]], requests);
    }

    [Fact]
    public async Task Extra_headers_and_method_are_sent()
    {
        var sink = Sink(WithSecret(new HttpBatchSinkOptions { Method = HttpMethod.Put, Headers = { ["Content-Type"] = "text/plain", ["X-Tenant"] = "acme" } }));

        await sink.SendAsync(TestEvent.Range(3), CancellationToken.None);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(Secret, request.Headers["X-Api-Key"]);
        Assert.Equal("acme", request.Headers["X-Tenant"]);
        Assert.Equal("text/plain", request.ContentType);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Retryable_status_is_transient_and_carries_retry_after_seconds(int status)
    {
        _receiver.Respond = _ => new Reply(status) { RetryAfter = "7", Body = "busy" };
        var sink = Sink(WithSecret());

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.False(ex.IsPermanent);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Equal("busy", ex.ResponseBodyExcerpt);
        Assert.Equal(0, ex.ItemsDelivered);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_becomes_the_delay_until_then()
    {
        var now = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        _receiver.Respond = _ => new Reply(503) { RetryAfter = now.AddSeconds(90).ToString("R", CultureInfo.InvariantCulture) };
        var sink = Sink(new HttpBatchSinkOptions { TimeProvider = time });

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(1), CancellationToken.None).AsTask());

        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Other_client_errors_are_permanent_with_status_and_body_excerpt(int status)
    {
        _receiver.Respond = _ => new Reply(status) { Body = "field 'x' is invalid\nmore detail" };
        var sink = Sink(WithSecret());

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.True(ex.IsPermanent);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal("field 'x' is invalid\nmore detail", ex.ResponseBodyExcerpt);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("field 'x' is invalid", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant=t1", ex.Message, StringComparison.Ordinal); // the query string may hold secrets
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_megabyte_error_body_is_read_only_up_to_the_excerpt_limit()
    {
        _receiver.Respond = _ => new Reply(400) { BodyBytes = 1 << 20 };
        var sink = Sink();

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.True(ex.IsPermanent);
        Assert.Equal(HttpBatchSendException.MaxBodyExcerptBytes, ex.ResponseBodyExcerpt!.Length);
        Assert.True(ex.Message.Length < 1_000, $"message of {ex.Message.Length} chars");
    }

    [Fact]
    public async Task An_endless_error_body_does_not_hang_the_sink()
    {
        _receiver.Respond = _ => new Reply(400) { EndlessBody = true };
        var sink = Sink(new HttpBatchSinkOptions { RequestTimeout = TimeSpan.FromSeconds(20) });

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.True(ex.IsPermanent);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(HttpBatchSendException.MaxBodyExcerptBytes, ex.ResponseBodyExcerpt!.Length);
    }

    [Fact]
    public async Task Payload_too_large_splits_in_halves_until_the_receiver_accepts_and_every_item_arrives_once()
    {
        const int limit = 7;
        _receiver.Respond = r => r.Ids.Count > limit ? new Reply(413) : Reply.Ok;
        var events = TestEvent.Range(100);
        var sink = Sink();

        await sink.SendAsync(events, CancellationToken.None);

        Assert.Equal(events.Select(e => e.Id), _receiver.DeliveredIds);
        var accepted = _receiver.Requests.Where(r => r.Ids.Count <= limit).ToArray();
        Assert.Equal(100, accepted.Sum(r => r.Ids.Count));
    }

    [Fact]
    public async Task A_receiver_body_limit_is_met_by_a_byte_budget_below_it()
    {
        // Kestrel answers 413 to a body above its limit before reading it and closes the connection, which the
        // client mostly sees as a broken pipe, not as a 413: the byte budget is what keeps such requests small.
        await using var strict = await TestReceiver.StartAsync(maxRequestBodySize: 20_000);
        var events = TestEvent.Range(2_000); // ~140 KB
        var sink = new HttpBatchSink<TestEvent>(_client, strict.Endpoint, TestEventSerializer.NdJson, new HttpBatchSinkOptions { MaxRequestBytes = 19_000 });

        await sink.SendAsync(events, CancellationToken.None);

        Assert.Equal(events.Select(e => e.Id), strict.DeliveredIds);
    }

    [Fact]
    public async Task Payload_too_large_with_one_item_is_permanent_and_reports_the_items_delivered_before()
    {
        _receiver.Respond = r => r.Ids.Contains(5) ? new Reply(413) : Reply.Ok;
        var sink = Sink();

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(8), CancellationToken.None).AsTask());

        Assert.True(ex.IsPermanent);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.StatusCode);
        Assert.Equal(5, ex.ItemsDelivered); // 0..4 went in the splits before item 5
        Assert.Equal([0L, 1, 2, 3, 4], _receiver.DeliveredIds);
    }

    [Fact]
    public async Task A_failure_after_earlier_requests_reports_how_many_items_were_delivered()
    {
        _receiver.Respond = r => r.Number == 2 ? new Reply(503) : Reply.Ok;
        var events = TestEvent.Range(300);
        var sink = Sink(new HttpBatchSinkOptions { MaxRequestBytes = 5_000 });

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(events, CancellationToken.None).AsTask());

        var first = _receiver.Requests.Single(r => r.Number == 1);
        Assert.False(ex.IsPermanent);
        Assert.Equal(first.Ids.Count, ex.ItemsDelivered);
        Assert.Equal(first.Ids, _receiver.DeliveredIds);

        // The batcher retries only the rest: together every item arrives once.
        _receiver.Respond = _ => Reply.Ok;
        await sink.SendAsync(events.AsMemory(ex.ItemsDelivered), CancellationToken.None);
        Assert.Equal(events.Select(e => e.Id), _receiver.DeliveredIds);
    }

    [Fact]
    public async Task A_response_slower_than_the_timeout_is_a_transient_failure()
    {
        _receiver.Respond = _ => new Reply(200) { Hang = true };
        var sink = Sink(WithSecret(new HttpBatchSinkOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) }));

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.False(ex.IsPermanent);
        Assert.Null(ex.StatusCode);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_reset_is_a_transient_failure()
    {
        _receiver.Respond = _ => new Reply(200) { Reset = true };
        var sink = Sink(WithSecret());

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.False(ex.IsPermanent);
        Assert.Null(ex.StatusCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_failure()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var endpoint = new Uri($"http://127.0.0.1:{port}/ingest");
        var sink = new HttpBatchSink<TestEvent>(_client, endpoint, TestEventSerializer.NdJson);

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(3), CancellationToken.None).AsTask());

        Assert.False(ex.IsPermanent);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_send_error()
    {
        _receiver.Respond = _ => new Reply(200) { Hang = true };
        var sink = Sink();
        using var cts = new CancellationTokenSource();

        var send = sink.SendAsync(TestEvent.Range(10), cts.Token).AsTask();
        await Eventually.TrueAsync(() => _receiver.Requests.Count == 1);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task A_serializer_failure_is_permanent()
    {
        var sink = Sink(serializer: TestEventSerializer.NdJson.WithThrowOn(3));

        var ex = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(10), CancellationToken.None).AsTask());

        Assert.True(ex.IsPermanent);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Empty(_receiver.DeliveredIds);
    }

    [Fact]
    public async Task Response_classifier_overrides_the_built_in_rules()
    {
        _receiver.Respond = r => r.Number == 1 ? new Reply(200) { Body = "{\"errors\":true}" } : new Reply(500) { Body = "no retry please" };
        var seen = new List<(HttpStatusCode, string)>();
        var sink = Sink(new HttpBatchSinkOptions
        {
            ResponseClassifier = (response, body) =>
            {
                seen.Add((response.StatusCode, body));
                return body.Contains("errors", StringComparison.Ordinal) ? HttpResponseOutcome.Transient
                    : body.Contains("no retry", StringComparison.Ordinal) ? HttpResponseOutcome.Permanent
                    : HttpResponseOutcome.Default;
            },
        });

        var first = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(2), CancellationToken.None).AsTask());
        var second = await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(2), CancellationToken.None).AsTask());

        Assert.False(first.IsPermanent);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(second.IsPermanent);
        Assert.Equal([(HttpStatusCode.OK, "{\"errors\":true}"), (HttpStatusCode.InternalServerError, "no retry please")], seen);
    }

    [Fact]
    public async Task The_sink_never_disposes_the_client_it_is_given()
    {
        var sink = Sink();
        _receiver.Respond = _ => new Reply(400);
        await Assert.ThrowsAsync<HttpBatchSendException>(() => sink.SendAsync(TestEvent.Range(1), CancellationToken.None).AsTask());
        _receiver.Respond = _ => Reply.Ok;
        await sink.SendAsync(TestEvent.Range(1), CancellationToken.None);

        using var response = await _client.GetAsync(_receiver.Endpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_batch_sends_nothing()
    {
        await Sink().SendAsync(ReadOnlyMemory<TestEvent>.Empty, CancellationToken.None);

        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Concurrent_sends_through_one_sink_each_arrive_once()
    {
        var sink = Sink(new HttpBatchSinkOptions { Compression = BatchCompression.Gzip, MaxRequestBytes = 20_000 });
        var batches = Enumerable.Range(0, 16).Select(b => TestEvent.Range(1_000, start: b * 1_000)).ToArray();

        await Task.WhenAll(batches.Select(b => Task.Run(() => sink.SendAsync(b, CancellationToken.None).AsTask())));

        Assert.Equal(Enumerable.Range(0, 16_000).Select(i => (long)i), _receiver.DeliveredIds.Order());
        Assert.All(_receiver.Requests, r => Assert.Null(r.Error));
    }
}
