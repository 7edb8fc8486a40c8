using HighPerfBatch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PackageConsumer;

/// <summary>
/// The hosting example of the README, compiled against the package so that it keeps compiling when pasted. Never run:
/// Program.cs runs the same registration against its own receiver.
/// </summary>
internal static class ReadmeExample
{
    public static void Run(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);       // or Host.CreateApplicationBuilder(args)
        var key = builder.Configuration["ClickHouse:Key"]!;

        builder.Services.AddBatcher<PageView>(builder.Configuration.GetSection("Batching:PageView"))
               .ToHttp(new Uri("http://127.0.0.1:8123/?query=INSERT%20INTO%20page_views%20FORMAT%20JSONEachRow"),
                       http => http.DefaultRequestHeaders.Add("X-ClickHouse-Key", key),
                       sink => sink.Compression = BatchCompression.Gzip);

        var app = builder.Build();
        app.MapPost("/view", (PageView view, Batcher<PageView> batcher) =>
            batcher.TryAdd(view) ? Results.Accepted() : Results.StatusCode(503));
        app.Run();
    }
}
