using System.Buffers;

namespace HighPerfBatch;

/// <summary>
/// Writes batches of <typeparamref name="T"/> as UTF-8 straight into an <see cref="IBufferWriter{T}"/>.
/// The source generator implements it for every <c>[Batched]</c> type.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// <see cref="Write"/> is equivalent to <see cref="WritePrefix"/>, then <see cref="WriteItem"/> for each item (the first
/// with <c>isFirst: true</c>), then <see cref="WriteSuffix"/>. The item-by-item form lets a sink cut a batch into requests
/// at a byte budget without serializing any item twice. Implementations are stateless and thread-safe.
/// </remarks>
public interface IBatchSerializer<T>
{
    /// <summary>The media type of what <see cref="Write"/> produces, e.g. <c>application/x-ndjson</c>.</summary>
    string ContentType { get; }

    /// <summary>The layout this serializer writes.</summary>
    BatchFormat Format { get; }

    /// <summary>Writes a whole batch.</summary>
    void Write(ReadOnlySpan<T> items, IBufferWriter<byte> output);

    /// <summary>Writes what comes before the first item (<c>[</c> for a JSON array, nothing for NDJSON).</summary>
    void WritePrefix(IBufferWriter<byte> output);

    /// <summary>Writes one item with the separator that goes before it (<c>,</c> in an array unless <paramref name="isFirst"/>) or after it (<c>\n</c> in NDJSON).</summary>
    void WriteItem(in T item, bool isFirst, IBufferWriter<byte> output);

    /// <summary>Writes what comes after the last item (<c>]</c> for a JSON array, nothing for NDJSON).</summary>
    void WriteSuffix(IBufferWriter<byte> output);
}
