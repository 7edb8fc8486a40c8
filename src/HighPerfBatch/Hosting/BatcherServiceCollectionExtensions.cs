using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HighPerfBatch;

/// <summary>Registers batchers in an <see cref="IServiceCollection"/>.</summary>
public static class BatcherServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Batcher{T}"/> as a singleton, with its <see cref="BatcherOptions"/> validated at start-up and
    /// drained when the host stops. Say where it sends with <see cref="BatcherBuilder{T}.ToHttp"/> or
    /// <see cref="BatcherBuilder{T}.ToSink(Func{IServiceProvider, IBatchSink{T}})"/>.
    /// </summary>
    /// <remarks>
    /// One batcher per event type: calling this again for the same <typeparamref name="T"/> returns a builder of the same
    /// batcher. Its options take <see cref="BatcherOptions.Logger"/> from <see cref="ILoggerFactory"/> and
    /// <see cref="BatcherOptions.TimeProvider"/> from the container when they are registered (code configuration may
    /// override both). The serializer and the <c>[Batched]</c> defaults come from <see cref="IBatchable{TSelf}"/>, with no
    /// reflection: trimming- and Native-AOT-safe.
    /// </remarks>
    public static BatcherBuilder<T> AddBatcher<T>(this IServiceCollection services)
        where T : IBatchable<T>
    {
        ArgumentNullException.ThrowIfNull(services);

        var registration = BatcherRegistration<T>.Find(services);
        if (registration is null)
        {
            registration = new BatcherRegistration<T>("HighPerfBatch:" + typeof(T).FullName);
            services.AddSingleton(registration);
            services.AddOptions();
            services.TryAddSingleton<BatcherTracker>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BatcherDrainService>(
                static sp => new BatcherDrainService(sp.GetRequiredService<BatcherTracker>(), sp.GetService<ILoggerFactory>())));

            // Registered first, so that code configuration added later may override what comes from the container.
            services.AddOptions<BatcherOptions>(registration.Name)
                .Configure<IServiceProvider>(static (options, sp) =>
                {
                    if (sp.GetService<TimeProvider>() is { } timeProvider)
                    {
                        options.TimeProvider = timeProvider;
                    }

                    if (sp.GetService<ILoggerFactory>() is { } loggerFactory)
                    {
                        options.Logger = loggerFactory.CreateLogger(LoggerCategory<T>());
                    }
                })
                .ValidateOnStart();
            services.AddSingleton<IValidateOptions<BatcherOptions>>(new BatcherOptionsValidator<T>(registration));
            services.AddSingleton(registration.CreateBatcher);
        }

        return new BatcherBuilder<T>(services, registration);
    }

    /// <summary>
    /// The logger category of the batcher of <typeparamref name="T"/>: <c>HighPerfBatch.Batcher.</c> and the full name of the
    /// event type, so that <c>Logging:LogLevel:HighPerfBatch</c> sets every batcher and a longer key sets one.
    /// </summary>
    internal static string LoggerCategory<T>() => "HighPerfBatch.Batcher." + typeof(T).FullName;

    /// <summary>Registers the batcher of <typeparamref name="T"/> (see <see cref="AddBatcher{T}(IServiceCollection)"/>) and configures its options in code.</summary>
    public static BatcherBuilder<T> AddBatcher<T>(this IServiceCollection services, Action<BatcherOptions> configure)
        where T : IBatchable<T>
        => services.AddBatcher<T>().Configure(configure);

    /// <summary>
    /// Registers the batcher of <typeparamref name="T"/> (see <see cref="AddBatcher{T}(IServiceCollection)"/>) and binds its
    /// settings from <paramref name="configuration"/>, e.g. <c>builder.Configuration.GetSection("Batching:PageView")</c>
    /// (see <see cref="BatcherBuilder{T}.Bind"/> for the keys).
    /// </summary>
    public static BatcherBuilder<T> AddBatcher<T>(this IServiceCollection services, IConfiguration configuration)
        where T : IBatchable<T>
        => services.AddBatcher<T>().Bind(configuration);
}
