using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HighPerfBatch.Tests.Hosting;

public class BatcherRegistrationTests
{
    [Fact]
    public async Task Batcher_is_a_singleton()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>().ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<Batcher<HostedEvent>>();
        var second = provider.GetRequiredService<Batcher<HostedEvent>>();
        await using var scope = provider.CreateAsyncScope();
        var fromScope = scope.ServiceProvider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.Same(first, second);
        Assert.Same(first, fromScope);
        Assert.Equal(ServiceLifetime.Singleton, services.Single(d => d.ServiceType == typeof(Batcher<HostedEvent>)).Lifetime);
    }

    [Fact]
    public async Task As_registers_the_typed_batcher_and_Batcher_of_T_as_the_same_singleton()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>()
            .ToSink(new RecordingSink<HostedEvent>())
            .As((sink, options) => new HostedEventBatcher(sink, options));
        await using var provider = services.BuildServiceProvider();

        var typed = provider.GetRequiredService<HostedEventBatcher>();
        var general = provider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.Same(typed, general);
    }

    [Fact]
    public async Task Batched_defaults_apply_to_settings_left_unset()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>(o => o.FlushInterval = TimeSpan.FromSeconds(3)).ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        var batcher = provider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.Equal(500, batcher.Options.MaxBatchSize);                       // from the type
        Assert.Equal(TimeSpan.FromSeconds(3), batcher.Options.FlushInterval);  // from the code
    }

    [Fact]
    public async Task Second_AddBatcher_call_configures_the_same_batcher()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>(o => o.MaxRetries = 2);
        services.AddBatcher<HostedEvent>(o => o.Capacity = 4_000).ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        var batcher = provider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.Single(services, d => d.ServiceType == typeof(Batcher<HostedEvent>));
        Assert.Equal(2, batcher.Options.MaxRetries);
        Assert.Equal(4_000, batcher.Options.Capacity);
    }

    [Fact]
    public async Task Batchers_of_different_event_types_have_their_own_options()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>(o => o.MaxRetries = 1).ToSink(new RecordingSink<HostedEvent>());
        services.AddBatcher<PlainEvent>(o => o.MaxRetries = 7).ToSink(new RecordingSink<PlainEvent>());
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(1, provider.GetRequiredService<Batcher<HostedEvent>>().Options.MaxRetries);
        Assert.Equal(7, provider.GetRequiredService<Batcher<PlainEvent>>().Options.MaxRetries);
        Assert.Equal(BatcherOptions.DefaultMaxBatchSize, provider.GetRequiredService<Batcher<PlainEvent>>().Options.MaxBatchSize);
    }

    [Fact]
    public async Task TimeProvider_and_logger_come_from_the_container()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddLogging();
        services.AddBatcher<HostedEvent>().ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        var batcher = provider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.Same(clock, batcher.Options.TimeProvider);
        Assert.NotNull(batcher.Options.Logger);
    }

    [Fact]
    public async Task Code_configuration_overrides_the_container_TimeProvider()
    {
        var fromCode = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddBatcher<HostedEvent>(o => o.TimeProvider = fromCode).ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        Assert.Same(fromCode, provider.GetRequiredService<Batcher<HostedEvent>>().Options.TimeProvider);
    }

    [Fact]
    public async Task Without_a_registered_TimeProvider_the_system_clock_is_used()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>().ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        var batcher = provider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.Same(TimeProvider.System, batcher.Options.TimeProvider);
        Assert.Null(batcher.Options.Logger);
    }

    [Fact]
    public async Task Sink_factory_receives_the_service_provider()
    {
        var sink = new RecordingSink<HostedEvent>();
        var services = new ServiceCollection();
        services.AddSingleton(sink);
        services.AddBatcher<HostedEvent>().ToSink(sp => sp.GetRequiredService<RecordingSink<HostedEvent>>());
        await using var provider = services.BuildServiceProvider();

        var batcher = provider.GetRequiredService<Batcher<HostedEvent>>();

        Assert.NotNull(batcher);
    }

    [Fact]
    public async Task Resolving_a_batcher_without_a_sink_fails_with_a_message_that_says_how_to_fix_it()
    {
        var services = new ServiceCollection();
        services.AddBatcher<HostedEvent>();
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<Batcher<HostedEvent>>());

        Assert.Contains("ToHttp", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(HostedEvent).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_name_is_per_event_type()
    {
        var services = new ServiceCollection();
        var builder = services.AddBatcher<HostedEvent>();

        Assert.Equal("HighPerfBatch:" + typeof(HostedEvent).FullName, builder.Name);
        Assert.Same(services, builder.Services);
    }

    [Fact]
    public async Task Options_monitor_serves_the_named_options_the_batcher_was_built_from()
    {
        var services = new ServiceCollection();
        var builder = services.AddBatcher<HostedEvent>(o => o.MaxConcurrentSends = 3).ToSink(new RecordingSink<HostedEvent>());
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<BatcherOptions>>().Get(builder.Name);

        Assert.Equal(3, options.MaxConcurrentSends);
    }

    [Fact]
    public void Logger_category_names_the_event_type()
    {
        // The category users filter on in appsettings (Logging:LogLevel:HighPerfBatch).
        var services = new ServiceCollection();
        var categories = new List<string>();
        services.AddLogging(b => b.AddProvider(new CategoryRecorder(categories)));
        services.AddBatcher<HostedEvent>().ToSink(new RecordingSink<HostedEvent>());
        using var provider = services.BuildServiceProvider();

        _ = provider.GetRequiredService<IOptionsMonitor<BatcherOptions>>().Get("HighPerfBatch:" + typeof(HostedEvent).FullName);

        Assert.Contains("HighPerfBatch.Batcher." + typeof(HostedEvent).FullName, categories);
    }

    private sealed class CategoryRecorder(List<string> categories) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName)
        {
            categories.Add(categoryName);
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }

        public void Dispose()
        {
        }
    }
}
