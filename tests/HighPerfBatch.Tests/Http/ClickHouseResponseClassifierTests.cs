using System.Net;

namespace HighPerfBatch.Tests.Http;

public class ClickHouseResponseClassifierTests
{
    [Theory]
    [InlineData("Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected \" before: abc", 27)]
    [InlineData("Code: 117, e.displayText() = DB::Exception: Unknown field found while parsing JSONEachRow format: idx", 117)]
    [InlineData("Code: 62. DB::Exception: Syntax error", 62)]
    [InlineData("  Code:241, e.displayText() = DB::Exception: Memory limit", 241)]
    [InlineData("Internal Server Error", null)]
    [InlineData("", null)]
    [InlineData("Code: x", null)]
    public void Reads_the_code_at_the_start_of_an_error_body(string body, int? expected)
    {
        Assert.Equal(expected, ClickHouse.ParseErrorCode(body));
    }

    [Theory]
    [InlineData(500, "Code: 26, e.displayText() = DB::Exception: Cannot parse quoted string", HttpResponseOutcome.Permanent)]
    [InlineData(500, "Code: 27, e.displayText() = DB::Exception: Cannot parse input", HttpResponseOutcome.Permanent)]
    [InlineData(500, "Code: 72, e.displayText() = DB::Exception: Cannot parse number", HttpResponseOutcome.Permanent)]
    [InlineData(500, "Code: 117, e.displayText() = DB::Exception: Unknown field", HttpResponseOutcome.Permanent)]
    [InlineData(404, "Code: 60, e.displayText() = DB::Exception: Table default.x doesn't exist", HttpResponseOutcome.Permanent)]
    [InlineData(500, "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded", HttpResponseOutcome.Transient)]
    [InlineData(500, "Code: 252, e.displayText() = DB::Exception: Too many parts", HttpResponseOutcome.Transient)]
    [InlineData(503, "Service Unavailable", HttpResponseOutcome.Default)]
    [InlineData(200, "", HttpResponseOutcome.Default)]
    public void Data_errors_are_permanent_and_server_errors_transient(int status, string body, HttpResponseOutcome expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.Equal(expected, ClickHouse.ResponseClassifier(response, body));
    }

    [Fact]
    public void The_exception_code_header_of_newer_servers_wins()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        response.Headers.TryAddWithoutValidation("X-ClickHouse-Exception-Code", "27");

        Assert.Equal(HttpResponseOutcome.Permanent, ClickHouse.Classify(response, "something else"));
    }

    [Fact]
    public void Insert_uri_names_the_table_format_and_date_time_setting()
    {
        var uri = ClickHouse.InsertUri(new Uri("http://127.0.0.1:8123/"), "page_views");

        Assert.Equal("http://127.0.0.1:8123/?query=INSERT%20INTO%20page_views%20FORMAT%20JSONEachRow&date_time_input_format=best_effort", uri.AbsoluteUri);
    }
}
