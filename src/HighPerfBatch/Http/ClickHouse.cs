using System.Globalization;

namespace HighPerfBatch;

/// <summary>
/// Helpers for sending batches to ClickHouse's HTTP interface with <see cref="HttpBatchSink{T}"/>:
/// the insert URL and a response classifier that reads ClickHouse's error codes.
/// </summary>
/// <remarks>
/// ClickHouse answers most errors with HTTP 500 (18.16 does so even for rows that do not parse), which the built-in
/// rules would retry forever; its body starts with <c>Code: NN</c>, and data and schema errors can never succeed on
/// retry. Use <c>ResponseClassifier = ClickHouse.ResponseClassifier</c>. ClickHouse 18.16 accepts
/// <c>Content-Encoding: gzip</c> but not brotli.
/// </remarks>
public static class ClickHouse
{
    // Errors about the data, the query or the credentials: the same batch can never succeed. Everything else a
    // server reports (memory limits, too many parts, timeouts, network) may pass on retry.
    private static readonly HashSet<int> s_permanentCodes =
    [
        1, 2, // UNSUPPORTED_METHOD, UNSUPPORTED_PARAMETER
        6, // CANNOT_PARSE_TEXT
        8, 10, 16, // THERE_IS_NO_COLUMN, NOT_FOUND_COLUMN_IN_BLOCK, NO_SUCH_COLUMN_IN_TABLE
        20, // NUMBER_OF_COLUMNS_DOESNT_MATCH
        25, 26, 27, // CANNOT_PARSE_ESCAPE_SEQUENCE, CANNOT_PARSE_QUOTED_STRING, CANNOT_PARSE_INPUT_ASSERTION_FAILED
        32, 33, // ATTEMPT_TO_READ_AFTER_EOF, CANNOT_READ_ALL_DATA
        36, 38, 41, // BAD_ARGUMENTS, CANNOT_PARSE_DATE, CANNOT_PARSE_DATETIME
        43, 44, 47, 48, 50, 53, // ILLEGAL_TYPE_OF_ARGUMENT, ILLEGAL_COLUMN, UNKNOWN_IDENTIFIER, NOT_IMPLEMENTED, UNKNOWN_TYPE, TYPE_MISMATCH
        60, 62, 69, 70, 72, 73, // UNKNOWN_TABLE, SYNTAX_ERROR, ARGUMENT_OUT_OF_BOUND, CANNOT_CONVERT_TYPE, CANNOT_PARSE_NUMBER, UNKNOWN_FORMAT
        81, 115, 117, // UNKNOWN_DATABASE, UNKNOWN_SETTING, INCORRECT_DATA
        130, 131, // CANNOT_READ_ARRAY_FROM_TEXT, TOO_LARGE_STRING_SIZE
        164, 192, 193, 194, 195, // READONLY, UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, IP_ADDRESS_NOT_ALLOWED
        349, 497, 516, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN, ACCESS_DENIED, AUTHENTICATION_FAILED
    ];

    /// <summary>The classifier as an <see cref="HttpBatchSinkOptions.ResponseClassifier"/> value.</summary>
    public static HttpResponseClassifier ResponseClassifier { get; } = Classify;

    /// <summary>
    /// Classifies a ClickHouse response: an error whose code (the <c>X-ClickHouse-Exception-Code</c> header of newer
    /// servers, or the <c>Code: NN</c> at the start of the body) is a data, query or access error is permanent; any
    /// other coded error with a 5xx status is transient; the rest keeps the built-in rule.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="bodyExcerpt">The first bytes of its body.</param>
    /// <returns>The outcome.</returns>
    public static HttpResponseOutcome Classify(HttpResponseMessage response, string bodyExcerpt)
    {
        ArgumentNullException.ThrowIfNull(response);
        int status = (int)response.StatusCode;
        if (status is >= 200 and <= 299)
        {
            return HttpResponseOutcome.Default;
        }

        int? code = null;
        if (response.Headers.TryGetValues("X-ClickHouse-Exception-Code", out var values))
        {
            foreach (var value in values)
            {
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                {
                    code = parsed;
                    break;
                }
            }
        }

        code ??= ParseErrorCode(bodyExcerpt);
        if (code is not { } known)
        {
            return HttpResponseOutcome.Default;
        }

        if (IsPermanentError(known))
        {
            return HttpResponseOutcome.Permanent;
        }

        return status is >= 500 and <= 599 ? HttpResponseOutcome.Transient : HttpResponseOutcome.Default;
    }

    /// <summary>Reads the error code of a ClickHouse error body (<c>Code: 27, e.displayText() = …</c> or <c>Code: 27. DB::Exception: …</c>).</summary>
    /// <param name="body">The start of the body.</param>
    /// <returns>The code, or <see langword="null"/> when the body does not start with one.</returns>
    public static int? ParseErrorCode(ReadOnlySpan<char> body)
    {
        body = body.TrimStart();
        if (!body.StartsWith("Code:", StringComparison.Ordinal))
        {
            return null;
        }

        body = body["Code:".Length..].TrimStart();
        int digits = 0;
        while (digits < body.Length && digits < 9 && char.IsAsciiDigit(body[digits]))
        {
            digits++;
        }

        return digits > 0 ? int.Parse(body[..digits], NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>True for error codes about the data, the query or access, which no retry can fix (26, 27, 72, 117 and the like).</summary>
    /// <param name="code">A ClickHouse error code.</param>
    /// <returns>Whether the error is permanent.</returns>
    public static bool IsPermanentError(int code) => s_permanentCodes.Contains(code);

    /// <summary>
    /// Builds the URL of an insert: <c>{server}?query=INSERT INTO {table} FORMAT JSONEachRow</c> with
    /// <c>date_time_input_format=best_effort</c> (so <c>DateTime</c> columns accept the ISO 8601 that JSON serializers write).
    /// </summary>
    /// <param name="server">The HTTP interface, e.g. <c>http://127.0.0.1:8123/</c>.</param>
    /// <param name="table">The table, written as given (quote it with backticks if it needs quoting).</param>
    /// <returns>The endpoint for <see cref="HttpBatchSink{T}"/>.</returns>
    public static Uri InsertUri(Uri server, string table)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        var builder = new UriBuilder(server)
        {
            Query = "query=" + Uri.EscapeDataString($"INSERT INTO {table} FORMAT JSONEachRow") + "&date_time_input_format=best_effort",
        };
        return builder.Uri;
    }
}
