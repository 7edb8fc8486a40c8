using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HighPerfBatch;

/// <summary>
/// Configures the batcher of <typeparamref name="T"/> that
/// <see cref="BatcherServiceCollectionExtensions.AddBatcher{T}(IServiceCollection)"/> registered: where it sends
/// (<see cref="ToHttp"/>, <see cref="ToSink(Func{IServiceProvider, IBatchSink{T}})"/>), its settings
/// (<see cref="Configure"/>, <see cref="Bind"/>) and the type it is injected as (<see cref="As{TBatcher}"/>).
/// </summary>
/// <typeparam name="T">The event type, a <c>[Batched]</c> type.</typeparam>
public sealed class BatcherBuilder<T>
    where T : IBatchable<T>
{
    private readonly BatcherRegistration<T> _registration;

    internal BatcherBuilder(IServiceCollection services, BatcherRegistration<T> registration)
    {
        Services = services;
        _registration = registration;
    }

    /// <summary>The service collection the batcher is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The name of this batcher's <see cref="BatcherOptions"/> (<c>IOptionsMonitor&lt;BatcherOptions&gt;.Get(Name)</c>) and
    /// of its <see cref="HttpClient"/> (<c>IHttpClientFactory.CreateClient(Name)</c>): <c>HighPerfBatch:</c> and the
    /// full name of <typeparamref name="T"/>.
    /// </summary>
    public string Name => _registration.Name;

    /// <summary>Adds code configuration, applied after what was bound from configuration before it.</summary>
    public BatcherBuilder<T> Configure(Action<BatcherOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddOptions<BatcherOptions>(Name).Configure(configure);
        return this;
    }

    /// <summary>
    /// Binds the scalar settings from <paramref name="configuration"/> (a section such as <c>Batching:PageView</c>):
    /// <c>MaxBatchSize</c>, <c>FlushInterval</c>, <c>Capacity</c>, <c>FullMode</c>, <c>MaxConcurrentSends</c>,
    /// <c>MaxRetries</c>, <c>RetryBaseDelay</c>, <c>MaxRetryDelay</c>, <c>ShutdownTimeout</c>. Settings the section leaves out
    /// keep their defaults (for <c>MaxBatchSize</c> and <c>FlushInterval</c>, the <c>[Batched]</c> ones). An unknown key or a
    /// bad value fails validation at start-up with a message that names the key.
    /// </summary>
    public BatcherBuilder<T> Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _registration.Sections.Add(configuration);
        Services.AddOptions<BatcherOptions>(Name).Configure(options => BatcherConfigurationBinder.Read(configuration, errors: null).ApplyTo(options));
        return this;
    }

    /// <summary>
    /// Sends batches to <paramref name="endpoint"/> with an <see cref="HttpBatchSink{T}"/> over the named
    /// <see cref="HttpClient"/> <see cref="Name"/> of <see cref="IHttpClientFactory"/>, serialized by
    /// <typeparamref name="T"/>'s generated serializer.
    /// </summary>
    /// <param name="endpoint">The absolute URL batches are posted to (a ClickHouse <c>?query=INSERT ...</c> URL, an ingest API).</param>
    /// <param name="configureClient">Configures the client, e.g. <c>http => http.DefaultRequestHeaders.Add("X-Key", key)</c>.</param>
    /// <param name="configureSink">Configures the sink (compression, timeout, byte budget).</param>
    /// <returns>
    /// The named client's builder, to add handlers (<c>AddHttpMessageHandler</c>), a resilience pipeline
    /// (<c>AddStandardResilienceHandler</c>, though the batcher already retries) or another primary handler.
    /// </returns>
    /// <remarks>
    /// The batcher is a singleton that keeps its client, so handler rotation of the factory would never happen for it:
    /// the handler lifetime is set to infinite and the default primary handler is a <see cref="SocketsHttpHandler"/>
    /// whose pooled connections live 2 minutes (so DNS changes are still seen). Both can be overridden on the returned builder.
    /// </remarks>
    public IHttpClientBuilder ToHttp(Uri endpoint, Action<HttpClient>? configureClient = null, Action<HttpBatchSinkOptions>? configureSink = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The endpoint of Batcher<{typeof(T).FullName}> must be an absolute URI; it was '{endpoint}'.", nameof(endpoint));
        }

        var name = Name;
        var client = configureClient is null ? Services.AddHttpClient(name) : Services.AddHttpClient(name, configureClient);
        client.SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        if (SocketsHttpHandler.IsSupported)
        {
            client.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AutomaticDecompression = DecompressionMethods.None,
            });
        }

        _registration.SinkFactory = services =>
        {
            var sinkOptions = new HttpBatchSinkOptions();
            configureSink?.Invoke(sinkOptions);
            var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
            return new HttpBatchSink<T>(httpClient, endpoint, T.BatchSerializer, sinkOptions);
        };
        return client;
    }

    /// <summary>Sends batches to the sink that <paramref name="factory"/> creates (once per service provider).</summary>
    public BatcherBuilder<T> ToSink(Func<IServiceProvider, IBatchSink<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registration.SinkFactory = factory;
        return this;
    }

    /// <summary>Sends batches to <paramref name="sink"/>.</summary>
    public BatcherBuilder<T> ToSink(IBatchSink<T> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _registration.SinkFactory = _ => sink;
        return this;
    }

    /// <summary>
    /// Creates the batcher as <typeparamref name="TBatcher"/>, typically the generated one, and registers it under that
    /// type too, so both <typeparamref name="TBatcher"/> and <see cref="Batcher{T}"/> inject the same singleton:
    /// <c>.As((sink, options) => new PageViewBatcher(sink, options))</c>. Without this call, <see cref="Batcher{T}"/> is the
    /// injectable type (with the same <c>[Batched]</c> defaults as the generated batcher).
    /// </summary>
    public BatcherBuilder<T> As<TBatcher>(Func<IBatchSink<T>, BatcherOptions, TBatcher> factory)
        where TBatcher : Batcher<T>
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registration.BatcherFactory = factory;
        for (var i = Services.Count - 1; i >= 0; i--)
        {
            if (Services[i].ServiceType == typeof(TBatcher) && !Services[i].IsKeyedService)
            {
                Services.RemoveAt(i);
            }
        }

        Services.AddSingleton(static services => (TBatcher)services.GetRequiredService<Batcher<T>>());
        return this;
    }
}
