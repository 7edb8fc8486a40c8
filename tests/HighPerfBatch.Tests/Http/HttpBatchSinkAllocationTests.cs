using System.Net;

namespace HighPerfBatch.Tests.Http;

/// <summary>
/// What the sink allocates, measured on its own: a handler that streams the content into <see cref="Stream.Null"/>,
/// so the whole send completes on the calling thread and the thread's allocation counter sees all of it.
/// </summary>
public class HttpBatchSinkAllocationTests
{
    private sealed class NullHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private static void CompletedSynchronously(ValueTask send)
    {
        Assert.True(send.IsCompletedSuccessfully, "the send went asynchronous: the measure would miss allocations");
        send.GetAwaiter().GetResult();
    }

    private static long BytesPerRequest(HttpBatchSink<TestEvent> sink, TestEvent[] batch)
    {
        for (int i = 0; i < 50; i++)
        {
            CompletedSynchronously(sink.SendAsync(batch, CancellationToken.None));
        }

        // The least of three windows: a gen2 collection triggered by a parallel test trims the shared array pool, and
        // the rents after it allocate once. A cost per event would show in every window.
        const int rounds = 100;
        long least = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < rounds; i++)
            {
                CompletedSynchronously(sink.SendAsync(batch, CancellationToken.None));
            }

            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / rounds);
        }

        return least;
    }

    [Theory]
    [InlineData(BatchCompression.None)]
    [InlineData(BatchCompression.Gzip)]
    public void Bytes_allocated_per_request_do_not_grow_with_the_number_of_events(BatchCompression compression)
    {
        using var client = new HttpClient(new NullHandler());
        var sink = new HttpBatchSink<TestEvent>(client, new Uri("http://127.0.0.1:1/"), TestEventSerializer.NdJson, new HttpBatchSinkOptions { Compression = compression });

        long small = BytesPerRequest(sink, TestEvent.Range(1_000));
        long large = BytesPerRequest(sink, TestEvent.Range(10_000)); // ~700 KB of body, ~20 pipe flushes

        // 9,000 more events may not cost even 0.1 byte each: serialization and streaming allocate nothing per event.
        Assert.True(large - small < 900, $"1,000 events: {small} B/request; 10,000 events: {large} B/request");
    }
}
