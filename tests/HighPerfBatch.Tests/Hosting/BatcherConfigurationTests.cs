using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HighPerfBatch.Tests.Hosting;

public class BatcherConfigurationTests
{
    private const string Section = "Batching:HostedEvent";

    [Fact]
    public async Task Scalar_settings_bind_from_the_configuration_section()
    {
        var builder = HostingTestHost.CreateBuilder(new Dictionary<string, string?>
        {
            [Section + ":MaxBatchSize"] = "250",
            [Section + ":FlushInterval"] = "00:00:00.750",
            [Section + ":Capacity"] = "5000",
            [Section + ":FullMode"] = "dropoldest",
            [Section + ":MaxConcurrentSends"] = "2",
            [Section + ":MaxRetries"] = "9",
            [Section + ":RetryBaseDelay"] = "00:00:00.050",
            [Section + ":MaxRetryDelay"] = "00:00:05",
            [Section + ":ShutdownTimeout"] = "00:00:03",
        });
        builder.Services.AddBatcher<HostedEvent>(builder.Configuration.GetSection(Section)).ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<Batcher<HostedEvent>>().Options;

        Assert.Equal(250, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(750), options.FlushInterval);
        Assert.Equal(5000, options.Capacity);
        Assert.Equal(BatchFullMode.DropOldest, options.FullMode);
        Assert.Equal(2, options.MaxConcurrentSends);
        Assert.Equal(9, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ShutdownTimeout);
        await host.StopAsync();
    }

    [Fact]
    public async Task Settings_missing_from_the_section_keep_the_Batched_defaults()
    {
        var builder = HostingTestHost.CreateBuilder(new Dictionary<string, string?> { [Section + ":MaxRetries"] = "1" });
        builder.Services.AddBatcher<HostedEvent>(builder.Configuration.GetSection(Section)).ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<Batcher<HostedEvent>>().Options;

        Assert.Equal(500, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.FlushInterval);
        Assert.Equal(BatcherOptions.DefaultCapacity, options.Capacity);
        await host.StopAsync();
    }

    [Fact]
    public async Task Code_configuration_after_the_section_overrides_it()
    {
        var builder = HostingTestHost.CreateBuilder(new Dictionary<string, string?> { [Section + ":MaxRetries"] = "1" });
        builder.Services.AddBatcher<HostedEvent>(builder.Configuration.GetSection(Section))
            .Configure(o => o.MaxRetries = 4)
            .ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        Assert.Equal(4, host.Services.GetRequiredService<Batcher<HostedEvent>>().Options.MaxRetries);
        await host.StopAsync();
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        // key, value, what the message must say besides the key
        { "MaxBatchSize", "0", "BatcherOptions.MaxBatchSize must be between 1 and" },
        { "MaxBatchSize", "lots", "must be a whole number" },
        { "FlushInterval", "00:00:00", "BatcherOptions.FlushInterval must be positive" },
        { "FlushInterval", "soon", "must be a duration" },
        { "Capacity", "10", "BatcherOptions.Capacity must be at least MaxBatchSize (500)" },
        { "FullMode", "Sometimes", "must be one of Wait, DropWrite, DropOldest" },
        { "MaxConcurrentSends", "0", "BatcherOptions.MaxConcurrentSends must be between 1 and" },
        { "MaxRetries", "-1", "BatcherOptions.MaxRetries must not be negative" },
        { "ShutdownTimeout", "-00:00:01", "BatcherOptions.ShutdownTimeout must not be negative" },
        { "MaxBatchSise", "10", "is not a batcher setting" },
        { "TimeProvider", "System", "is not a batcher setting" },
        { "Logger", "Console", "is not a batcher setting" },
        { "OnBatchFailed", "Crash", "is not a batcher setting" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Bad_value_fails_start_up_with_a_message_naming_the_key(string key, string value, string expected)
    {
        var builder = HostingTestHost.CreateBuilder(new Dictionary<string, string?> { [Section + ":" + key] = value });
        builder.Services.AddBatcher<HostedEvent>(builder.Configuration.GetSection(Section)).ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"'{Section}:{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_value_is_reported_not_only_the_first()
    {
        var builder = HostingTestHost.CreateBuilder(new Dictionary<string, string?>
        {
            [Section + ":MaxBatchSize"] = "many",
            [Section + ":FlushInterval"] = "later",
            [Section + ":Colour"] = "blue",
        });
        builder.Services.AddBatcher<HostedEvent>(builder.Configuration.GetSection(Section)).ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(3, ex.Failures.Count());
    }

    [Fact]
    public async Task Bad_value_set_in_code_fails_start_up_naming_the_setting_and_the_event_type()
    {
        var builder = HostingTestHost.CreateBuilder();
        builder.Services.AddBatcher<HostedEvent>(o => o.MaxRetries = -3).ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("BatcherOptions.MaxRetries must not be negative", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(HostedEvent).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_sink_fails_start_up()
    {
        var builder = HostingTestHost.CreateBuilder();
        builder.Services.AddBatcher<HostedEvent>();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("No sink is configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_configuration_starts_the_host()
    {
        var builder = HostingTestHost.CreateBuilder(new Dictionary<string, string?> { [Section + ":MaxBatchSize"] = "100", [Section + ":Capacity"] = "" });
        builder.Services.AddBatcher<HostedEvent>(builder.Configuration.GetSection(Section)).ToSink(new RecordingSink<HostedEvent>());
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }
}
