using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Net;

namespace HighPerfBatch.Internal;

/// <summary>
/// The body of one request: items serialized one by one through a <see cref="PipeWriter"/> over the request stream
/// (a gzip or brotli stream in between when asked), flushed every <see cref="FlushThreshold"/> bytes, so that a big
/// batch never sits whole in memory. Writing stops at an item boundary once the byte budget is reached;
/// <see cref="ItemsWritten"/> tells the sink where the next request starts.
/// </summary>
/// <remarks>
/// The content itself is the <see cref="IBufferWriter{T}"/> the serializer writes to: it forwards to the pipe writer
/// and counts the bytes, which is all the budget needs. Serializing again (a handler that re-sends the request on a
/// new connection) starts over from the first item.
/// </remarks>
internal sealed class BatchContent<T> : HttpContent, IBufferWriter<byte>
{
    /// <summary>Uncompressed bytes written between two flushes of the pipe writer.</summary>
    internal const int FlushThreshold = 64 * 1024;

    private readonly IBatchSerializer<T> _serializer;
    private readonly ReadOnlyMemory<T> _items;
    private readonly long _budget;
    private readonly int _suffixReserve;
    private readonly BatchCompression _compression;
    private readonly CompressionLevel _compressionLevel;

    private PipeWriter? _writer;
    private long _written;
    private long _unflushed;

    public BatchContent(IBatchSerializer<T> serializer, ReadOnlyMemory<T> items, long budget, BatchCompression compression, CompressionLevel compressionLevel)
    {
        _serializer = serializer;
        _items = items;
        _budget = budget;
        _suffixReserve = serializer.Format == BatchFormat.JsonArray ? 1 : 0; // the closing ']'
        _compression = compression;
        _compressionLevel = compressionLevel;
    }

    /// <summary>Items in the body of the last serialization: a prefix of the items given.</summary>
    public int ItemsWritten { get; private set; }

    /// <summary>Uncompressed bytes of the body of the last serialization.</summary>
    public long BytesWritten => _written;

    /// <summary>The exception the serializer threw, if it did: retrying the same items cannot help.</summary>
    public Exception? SerializerException { get; private set; }

    void IBufferWriter<byte>.Advance(int count)
    {
        _writer!.Advance(count);
        _written += count;
        _unflushed += count;
    }

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) => _writer!.GetMemory(sizeHint);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => _writer!.GetSpan(sizeHint);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _written = 0;
        _unflushed = 0;
        ItemsWritten = 0;

        Stream? compressor = _compression switch
        {
            BatchCompression.Gzip => new GZipStream(stream, _compressionLevel, leaveOpen: true),
            BatchCompression.Brotli => new BrotliStream(stream, _compressionLevel, leaveOpen: true),
            _ => null,
        };
        var writer = PipeWriter.Create(
            compressor ?? stream,
            new StreamPipeWriterOptions(pool: BlockMemoryPool.SharedBlocks, minimumBufferSize: BlockMemoryPool.BlockSize, leaveOpen: true));
        _writer = writer;
        try
        {
            WritePrefix();
            int next = 0;
            while (true)
            {
                next = WriteItems(next, out bool budgetReached);
                ItemsWritten = next;
                if (budgetReached || next == _items.Length)
                {
                    break;
                }

                _unflushed = 0;
                await FlushAsync(writer, cancellationToken).ConfigureAwait(false);
            }

            WriteSuffix();
            await FlushAsync(writer, cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
            if (compressor is not null)
            {
                await compressor.DisposeAsync().ConfigureAwait(false); // writes the gzip/brotli trailer
                compressor = null;
            }
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false); // returns the pipe's blocks without writing them
            throw;
        }
        finally
        {
            _writer = null;
            if (compressor is not null)
            {
                // Failure path: the stream is broken or cancelled; its trailer has nowhere to go.
                try
                {
                    await compressor.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
                {
                }
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false; // streamed: chunked transfer
    }

    private static async ValueTask FlushAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>
    /// Writes items from <paramref name="start"/> until the next flush is due, the budget is reached or the items run
    /// out; returns the index of the first item not written. Synchronous, so it can hold the span.
    /// </summary>
    private int WriteItems(int start, out bool budgetReached)
    {
        var items = _items.Span;
        for (int i = start; i < items.Length; i++)
        {
            // Invariant: the bytes before the last item of a body stay below the budget, so a body passes it by at
            // most one item; the first item always goes, however large.
            if (i > 0 && _written + _suffixReserve >= _budget)
            {
                budgetReached = true;
                return i;
            }

            try
            {
                _serializer.WriteItem(in items[i], i == 0, this);
            }
            catch (Exception ex)
            {
                SerializerException = ex;
                throw;
            }

            if (_unflushed >= FlushThreshold)
            {
                budgetReached = false;
                return i + 1;
            }
        }

        budgetReached = false;
        return items.Length;
    }

    private void WritePrefix()
    {
        try
        {
            _serializer.WritePrefix(this);
        }
        catch (Exception ex)
        {
            SerializerException = ex;
            throw;
        }
    }

    private void WriteSuffix()
    {
        try
        {
            _serializer.WriteSuffix(this);
        }
        catch (Exception ex)
        {
            SerializerException = ex;
            throw;
        }
    }
}
