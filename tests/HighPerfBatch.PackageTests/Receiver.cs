using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace PackageConsumer;

/// <summary>Kestrel on 127.0.0.1 and a random port; answers 200 and keeps every request body.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Receiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<(string PathAndQuery, string? ContentType, string? Key, string Body)> Requests { get; } = new();

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Requests.Enqueue((
                context.Request.Path + context.Request.QueryString,
                context.Request.ContentType,
                context.Request.Headers["X-Key"].ToString(),
                body));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        var server = app.Services.GetService(typeof(IServer)) as IServer ?? throw new InvalidOperationException("no server");
        receiver.Address = new Uri(server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
