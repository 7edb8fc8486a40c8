using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HighPerfBatch;

/// <summary>
/// What <c>AddBatcher&lt;T&gt;</c> and its builder collected about the batcher of <typeparamref name="T"/>: one per event
/// type and service collection, kept in the collection as a singleton instance so that a second <c>AddBatcher&lt;T&gt;</c>
/// call finds and extends it. It holds only descriptions; the batcher itself is created per service provider.
/// </summary>
internal sealed class BatcherRegistration<T>
    where T : IBatchable<T>
{
    public BatcherRegistration(string name) => Name = name;

    /// <summary>The options name and the <see cref="System.Net.Http.HttpClient"/> name of this batcher.</summary>
    public string Name { get; }

    /// <summary>The configuration sections bound so far, in order (later ones win).</summary>
    public List<IConfiguration> Sections { get; } = [];

    /// <summary>Creates the sink; <see langword="null"/> until <c>ToHttp</c> or <c>ToSink</c> is called.</summary>
    public Func<IServiceProvider, IBatchSink<T>>? SinkFactory { get; set; }

    /// <summary>Creates the batcher from the sink and the options; by default a batcher with <typeparamref name="T"/>'s <c>[Batched]</c> defaults.</summary>
    public Func<IBatchSink<T>, BatcherOptions, Batcher<T>> BatcherFactory { get; set; } = static (sink, options) => new DefaultedBatcher<T>(sink, options);

    /// <summary>The error to report when no sink was configured.</summary>
    public static string MissingSinkMessage
        => $"No sink is configured for Batcher<{typeof(T).FullName}>: call ToHttp(...) or ToSink(...) on the builder that AddBatcher<{typeof(T).Name}>() returned.";

    /// <summary>The singleton factory of <see cref="Batcher{T}"/>.</summary>
    public Batcher<T> CreateBatcher(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BatcherOptions>>().Get(Name);
        var sinkFactory = SinkFactory ?? throw new InvalidOperationException(MissingSinkMessage);
        var sink = sinkFactory(services) ?? throw new InvalidOperationException($"The sink factory of Batcher<{typeof(T).FullName}> returned null.");
        var batcher = BatcherFactory(sink, options);
        services.GetRequiredService<BatcherTracker>().Track(batcher, typeof(T));
        return batcher;
    }

    /// <summary>Finds the registration of <typeparamref name="T"/> in <paramref name="services"/>, or <see langword="null"/>.</summary>
    public static BatcherRegistration<T>? Find(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(BatcherRegistration<T>) && !services[i].IsKeyedService
                && services[i].ImplementationInstance is BatcherRegistration<T> registration)
            {
                return registration;
            }
        }

        return null;
    }
}
