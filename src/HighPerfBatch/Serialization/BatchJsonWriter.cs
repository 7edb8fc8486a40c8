using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace HighPerfBatch;

/// <summary>
/// A forward-only UTF-8 JSON writer over an <see cref="IBufferWriter{T}"/>, called by the code that the HighPerfBatch
/// generator emits for <c>[Batched]</c> types. It writes into the span it got from the output and calls
/// <see cref="IBufferWriter{T}.Advance"/> only when that span is full and in <see cref="Flush"/>, so a whole batch costs
/// one <c>Advance</c> per buffer rather than one per token.
/// </summary>
/// <remarks>
/// <para>The writer does not validate structure: the generated code is responsible for balanced braces and commas.
/// Values are written as <c>System.Text.Json</c> (<c>JsonSerializerDefaults.Web</c>) writes them, with these
/// documented differences, all of which still produce valid JSON:</para>
/// <list type="bullet">
/// <item>strings escape only what JSON requires (<c>"</c>, <c>\</c> and U+0000..U+001F); other text is written as UTF-8;</item>
/// <item>a lone surrogate in a string or <see cref="char"/> is written as U+FFFD;</item>
/// <item><see cref="double.NaN"/> and the infinities (double and float) are written as <c>null</c>.</item>
/// </list>
/// <para>Call <see cref="Flush"/> when done: bytes written since the last flush are not committed to the output before it.</para>
/// </remarks>
public ref struct BatchJsonWriter
{
    // Smallest span asked of the output when the current one is full, so that small tokens do not each cost an Advance.
    private const int MinimumBufferSize = 256;

    // A string is transcoded in chunks of at most this many UTF-16 chars when it does not fit in the current span.
    private const int MaxChunkChars = 16 * 1024;

    // Longest token the fixed-size formatters produce: "-1.7976931348623157E+308", "-79228162514264337593543950335",
    // a DateTimeOffset "O" with offset (33 bytes) and a quoted TimeSpan (28 bytes) all fit.
    private const int MaxFormattedLength = 64;

    private static readonly SearchValues<char> s_charsToEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private readonly IBufferWriter<byte> _output;

    // Invariant: _span is the span last returned by _output.GetSpan, and _span[.._buffered] holds bytes written but not
    // yet committed with _output.Advance.
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    public BatchJsonWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Commits the bytes written so far to the output (one <see cref="IBufferWriter{T}.Advance"/>).</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = default;
    }

    /// <summary>Writes bytes as they are: a precomputed literal such as <c>,"userId":</c>.</summary>
    /// <param name="utf8">Bytes that are valid JSON in the place where they are written.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRaw(scoped ReadOnlySpan<byte> utf8)
    {
        if (utf8.TryCopyTo(_span.Slice(_buffered)))
        {
            _buffered += utf8.Length;
        }
        else
        {
            WriteRawSlow(utf8);
        }
    }

    /// <summary>Writes one byte as it is (<c>,</c>, <c>[</c>, <c>\n</c>, ...).</summary>
    /// <param name="value">An ASCII byte that is valid JSON in the place where it is written.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRawByte(byte value)
    {
        var span = _span;
        var index = _buffered;
        if ((uint)index < (uint)span.Length)
        {
            span[index] = value;
            _buffered = index + 1;
        }
        else
        {
            Grow(1);
            _span[_buffered++] = value;
        }
    }

    /// <summary>Writes <c>,</c>.</summary>
    public void WriteComma() => WriteRawByte((byte)',');

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNull() => WriteRaw("null"u8);

    /// <summary>Writes <c>[</c>.</summary>
    public void WriteStartArray() => WriteRawByte((byte)'[');

    /// <summary>Writes <c>]</c>.</summary>
    public void WriteEndArray() => WriteRawByte((byte)']');

    /// <summary>Writes <c>{</c>.</summary>
    public void WriteStartObject() => WriteRawByte((byte)'{');

    /// <summary>Writes <c>}</c>.</summary>
    public void WriteEndObject() => WriteRawByte((byte)'}');

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteBoolean(bool value) => WriteRaw(value ? "true"u8 : "false"u8);

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(int value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span, out var written);
        _buffered += written;
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(long value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span, out var written);
        _buffered += written;
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(uint value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span, out var written);
        _buffered += written;
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(ulong value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span, out var written);
        _buffered += written;
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(Int128 value)
    {
        WriteFormatted(value);
    }

    /// <summary>Writes a number.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(UInt128 value)
    {
        WriteFormatted(value);
    }

    /// <summary>Writes a number in its shortest round-trip form; NaN and the infinities are written as <c>null</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            WriteNull();
            return;
        }

        WriteFormatted(value);
    }

    /// <summary>Writes a number in its shortest round-trip form; NaN and the infinities are written as <c>null</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(float value)
    {
        if (!float.IsFinite(value))
        {
            WriteNull();
            return;
        }

        WriteFormatted(value);
    }

    /// <summary>Writes a number in its shortest round-trip form; NaN and the infinities are written as <c>null</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(Half value)
    {
        if (!Half.IsFinite(value))
        {
            WriteNull();
            return;
        }

        // Half's own shortest form ("0.1"), as System.Text.Json writes it; via float it would be "0.099975586".
        WriteFormatted(value);
    }

    /// <summary>Formats a value invariantly, straight into the buffer (specialized per value type by the JIT).</summary>
    private void WriteFormatted<TValue>(TValue value)
        where TValue : IUtf8SpanFormattable
    {
        var span = Reserve(MaxFormattedLength);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _buffered += written;
    }

    /// <summary>Writes a number, keeping its scale (<c>1.50</c>) as System.Text.Json does.</summary>
    /// <param name="value">The value.</param>
    public void WriteNumber(decimal value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span, out var written);
        _buffered += written;
    }

    /// <summary>Writes a <see cref="Guid"/> as a string in the <c>"D"</c> format.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(Guid value)
    {
        var span = Reserve(MaxFormattedLength);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, span.Slice(1), out var written);
        span[written + 1] = (byte)'"';
        _buffered += written + 2;
    }

    /// <summary>Writes a <see cref="DateTime"/> as an ISO 8601 string, as System.Text.Json does (<c>"O"</c> with trailing zeros of the fraction trimmed).</summary>
    /// <param name="value">The value.</param>
    public void WriteString(DateTime value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span.Slice(1), out var written, new StandardFormat('O'));
        CloseQuotedDate(span, written);
    }

    /// <summary>Writes a <see cref="DateTimeOffset"/> as an ISO 8601 string, as System.Text.Json does (<c>"O"</c> with trailing zeros of the fraction trimmed).</summary>
    /// <param name="value">The value.</param>
    public void WriteString(DateTimeOffset value)
    {
        var span = Reserve(MaxFormattedLength);
        Utf8Formatter.TryFormat(value, span.Slice(1), out var written, new StandardFormat('O'));
        CloseQuotedDate(span, written);
    }

    /// <summary>Quotes an "O"-formatted date written at <c>span[1..]</c>, trimming its fraction's trailing zeros as System.Text.Json does.</summary>
    private void CloseQuotedDate(Span<byte> span, int written)
    {
        span[0] = (byte)'"';
        written = TrimFraction(span.Slice(1, written));
        span[written + 1] = (byte)'"';
        _buffered += written + 2;
    }

    /// <summary>Writes a <see cref="TimeSpan"/> as a string in the constant (<c>"c"</c>) format.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(TimeSpan value)
    {
        var span = Reserve(MaxFormattedLength);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, span.Slice(1), out var written, new StandardFormat('c'));
        span[written + 1] = (byte)'"';
        _buffered += written + 2;
    }

    /// <summary>Writes a <see cref="DateOnly"/> as a <c>"yyyy-MM-dd"</c> string.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(DateOnly value)
    {
        var span = Reserve(12);
        span[0] = (byte)'"';
        WriteDigits(span.Slice(1, 4), value.Year);
        span[5] = (byte)'-';
        WriteDigits(span.Slice(6, 2), value.Month);
        span[8] = (byte)'-';
        WriteDigits(span.Slice(9, 2), value.Day);
        span[11] = (byte)'"';
        _buffered += 12;
    }

    /// <summary>Writes a <see cref="TimeOnly"/> as an <c>"HH:mm:ss[.fffffff]"</c> string, as System.Text.Json does.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(TimeOnly value) => WriteString(value.ToTimeSpan());

    /// <summary>Writes a <see cref="char"/> as a one-character string (a lone surrogate becomes U+FFFD).</summary>
    /// <param name="value">The value.</param>
    public void WriteString(char value) => WriteString(new ReadOnlySpan<char>(in value));

    /// <summary>Writes a string, or <c>null</c> when <paramref name="value"/> is <see langword="null"/>.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNull();
        }
        else
        {
            WriteString(value.AsSpan());
        }
    }

    /// <summary>
    /// Writes UTF-16 text as a JSON string: quote, backslash and control characters are escaped, everything else is
    /// transcoded to UTF-8, and a lone surrogate becomes U+FFFD.
    /// </summary>
    /// <param name="value">The text.</param>
    public void WriteString(scoped ReadOnlySpan<char> value)
    {
        // Fast path: the whole string fits at worst-case expansion (3 bytes per UTF-16 char, escapes aside) and contains
        // nothing to escape, which a vectorized scan finds out; the transcoder is vectorized too.
        if (value.Length <= MaxChunkChars)
        {
            var span = Reserve((value.Length * 3) + 2);
            if (!value.ContainsAny(s_charsToEscape))
            {
                span[0] = (byte)'"';
                Utf8.FromUtf16(value, span.Slice(1), out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
                span[written + 1] = (byte)'"';
                _buffered += written + 2;
                return;
            }
        }

        WriteStringSlow(value);
    }

    /// <summary>Writes bytes as a base64 string, as System.Text.Json writes <c>byte[]</c>; <c>null</c> when <paramref name="value"/> is <see langword="null"/>.</summary>
    /// <param name="value">The bytes.</param>
    public void WriteBase64String(byte[]? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        WriteRawByte((byte)'"');
        ReadOnlySpan<byte> remaining = value;
        while (!remaining.IsEmpty)
        {
            // Whole 3-byte groups per chunk, so that only the last chunk is padded.
            var take = Math.Min(remaining.Length, 3 * 4096);
            var span = Reserve(((take + 2) / 3) * 4);
            Base64.EncodeToUtf8(remaining.Slice(0, take), span, out _, out var written, isFinalBlock: take == remaining.Length);
            _buffered += written;
            remaining = remaining.Slice(take);
        }

        WriteRawByte((byte)'"');
    }

    /// <summary>
    /// Writes a property name that is already escaped UTF-8, in quotes, followed by <c>:</c>. The generated code passes
    /// precomputed literals (<c>"userId"u8</c>), so names are never escaped or transcoded at run time.
    /// </summary>
    /// <param name="escapedUtf8Name">The name, JSON-escaped, without quotes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WritePropertyName(scoped ReadOnlySpan<byte> escapedUtf8Name)
    {
        var length = escapedUtf8Name.Length;
        var span = Reserve(length + 3);
        span[0] = (byte)'"';
        escapedUtf8Name.CopyTo(span.Slice(1));
        span[length + 1] = (byte)'"';
        span[length + 2] = (byte)':';
        _buffered += length + 3;
    }

    /// <summary>Writes a property name followed by <c>:</c>, escaped like a string (dictionary keys).</summary>
    /// <param name="name">The name.</param>
    public void WritePropertyName(scoped ReadOnlySpan<char> name)
    {
        WriteString(name);
        WriteRawByte((byte)':');
    }

    /// <summary>Writes a property name followed by <c>:</c>, escaped like a string (dictionary keys).</summary>
    /// <param name="name">The name; <see langword="null"/> is written as an empty name.</param>
    public void WritePropertyName(string? name) => WritePropertyName(name.AsSpan());

    private void WriteStringSlow(scoped ReadOnlySpan<char> value)
    {
        WriteRawByte((byte)'"');
        while (true)
        {
            var index = value.IndexOfAny(s_charsToEscape);
            var segment = index < 0 ? value : value.Slice(0, index);
            WriteUtf8(segment);
            if (index < 0)
            {
                break;
            }

            WriteEscaped(value[index]);
            value = value.Slice(index + 1);
        }

        WriteRawByte((byte)'"');
    }

    // Transcodes text that needs no escaping, in chunks when it does not fit in the current span. A chunk boundary never
    // splits a surrogate pair: when the destination is too small the transcoder stops before the pair, and the caller
    // only cuts segments at ASCII characters, so a high surrogate at the end of a segment really is alone.
    private void WriteUtf8(scoped ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var span = Reserve(Math.Min(text.Length, MaxChunkChars) * 3);
            var status = Utf8.FromUtf16(text, span, out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            _buffered += written;
            text = text.Slice(read);
            if (status == OperationStatus.Done)
            {
                break;
            }
        }
    }

    private void WriteEscaped(char c)
    {
        switch (c)
        {
            case '"':
                WriteRaw("\\\""u8);
                break;
            case '\\':
                WriteRaw("\\\\"u8);
                break;
            case '\n':
                WriteRaw("\\n"u8);
                break;
            case '\r':
                WriteRaw("\\r"u8);
                break;
            case '\t':
                WriteRaw("\\t"u8);
                break;
            case '\b':
                WriteRaw("\\b"u8);
                break;
            case '\f':
                WriteRaw("\\f"u8);
                break;
            default:
                var span = Reserve(6);
                "\\u00"u8.CopyTo(span);
                span[4] = HexDigit(c >> 4);
                span[5] = HexDigit(c & 0xF);
                _buffered += 6;
                break;
        }
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    // "O" writes exactly seven fraction digits after "yyyy-MM-ddTHH:mm:ss"; System.Text.Json trims their trailing zeros
    // (and the dot when all are zero) and keeps the offset that follows. Returns the new length.
    private static int TrimFraction(Span<byte> formatted)
    {
        const int DotIndex = 19;
        const int FractionEnd = DotIndex + 8;
        if (formatted.Length < FractionEnd || formatted[DotIndex] != (byte)'.')
        {
            return formatted.Length;
        }

        var end = FractionEnd;
        while (end > DotIndex + 1 && formatted[end - 1] == (byte)'0')
        {
            end--;
        }

        if (end == DotIndex + 1)
        {
            end = DotIndex;
        }

        var tail = formatted.Slice(FractionEnd);
        tail.CopyTo(formatted.Slice(end));
        return end + tail.Length;
    }

    // Returns a span of at least sizeHint bytes at the write position; the caller adds what it wrote to _buffered.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int sizeHint)
    {
        if (_span.Length - _buffered < sizeHint)
        {
            Grow(sizeHint);
        }

        return _span.Slice(_buffered);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int sizeHint)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(Math.Max(sizeHint, MinimumBufferSize));
        if (_span.Length < sizeHint)
        {
            throw new InvalidOperationException($"The output returned a span of {_span.Length} bytes when {sizeHint} were asked for.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteRawSlow(scoped ReadOnlySpan<byte> utf8)
    {
        var span = Reserve(utf8.Length);
        utf8.CopyTo(span);
        _buffered += utf8.Length;
    }
}
