using System.Text.Json;
using OpenTelemetry;

namespace HighPerfBatch.Comparison.Contestants;

/// <summary>
/// OpenTelemetry .NET's <see cref="BatchExportProcessor{T}"/> (its lock-free circular buffer and single export
/// thread) with an exporter that POSTs the same NDJSON, serialized with source-generated System.Text.Json and sent
/// with a blocking <see cref="HttpClient.Send(HttpRequestMessage)"/>, as OpenTelemetry's own OTLP/HTTP exporter does
/// (<c>Export</c> is synchronous). Same batch size, interval and queue size as everyone; when the queue is full
/// <c>OnEnd</c> drops the event and counts it: the design never blocks a producer.
/// </summary>
public sealed class OpenTelemetryContestant : Contestant
{
    private readonly NdJsonHttpExporter _exporter;
    private readonly EventBatchProcessor _processor;

    public OpenTelemetryContestant(ContestantSettings settings, HttpClient http)
    {
        _exporter = new NdJsonHttpExporter(this, settings, http);
        _processor = new EventBatchProcessor(
            _exporter,
            maxQueueSize: settings.Capacity,
            scheduledDelayMilliseconds: (int)settings.FlushInterval.TotalMilliseconds,
            exporterTimeoutMilliseconds: 30_000,
            maxExportBatchSize: settings.BatchSize);
    }

    public override string Name => "OpenTelemetry";

    public override int? Concurrency => 1;

    // DroppedCount is internal in OpenTelemetry 1.21; read only at the window's edges, so reflection costs nothing measured.
    private static readonly System.Reflection.PropertyInfo? DroppedCount = typeof(BatchExportProcessor<OtelEvent>)
        .GetProperty("DroppedCount", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);

    public override long Lost => base.Lost + (DroppedCount?.GetValue(_processor) is long dropped ? dropped : 0);

    public override void Start()
    {
    }

    public override bool Add(in ComparisonEvent item)
    {
        _processor.OnEnd(OtelEvent.From(item));
        return true;
    }

    public override Task DrainAsync(TimeSpan timeout)
    {
        _processor.Shutdown((int)timeout.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _processor.Dispose();
        return base.DisposeAsync();
    }

    /// <summary><see cref="BatchExportProcessor{T}"/> is abstract; its concrete subclasses only fix <c>T</c>.</summary>
    private sealed class EventBatchProcessor(
        BaseExporter<OtelEvent> exporter,
        int maxQueueSize,
        int scheduledDelayMilliseconds,
        int exporterTimeoutMilliseconds,
        int maxExportBatchSize)
        : BatchExportProcessor<OtelEvent>(exporter, maxQueueSize, scheduledDelayMilliseconds, exporterTimeoutMilliseconds, maxExportBatchSize);

    private sealed class NdJsonHttpExporter(OpenTelemetryContestant owner, ContestantSettings settings, HttpClient http)
        : BaseExporter<OtelEvent>
    {
        // Export runs on the processor's single export thread, so one body buffer is enough.
        private readonly MemoryStream _body = new(settings.BatchSize * 160);

        public override ExportResult Export(in Batch<OtelEvent> batch)
        {
            _body.SetLength(0);
            int count = 0;
            foreach (var item in batch)
            {
                JsonSerializer.Serialize(_body, item, SourceGenJson.Default.OtelEvent);
                _body.WriteByte((byte)'\n');
                count++;
            }

            owner.EnterRequest();
            try
            {
                using var content = new ByteArrayContent(_body.GetBuffer(), 0, (int)_body.Length);
                content.Headers.ContentType = Http.NdJson;
                using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint) { Content = content };
                using var response = http.Send(request);
                if (response.IsSuccessStatusCode)
                {
                    owner.CountDelivered(count);
                    return ExportResult.Success;
                }

                owner.CountFailed(count);
                return ExportResult.Failure;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                owner.CountFailed(count);
                return ExportResult.Failure;
            }
            finally
            {
                owner.ExitRequest();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
