namespace HighPerfBatch.Tests;

public class OptionsValidationTests
{
    private sealed class NullSink<T> : IBatchSink<T>
    {
        public ValueTask SendAsync(ReadOnlyMemory<T> batch, CancellationToken cancellationToken) => default;
    }

    public static TheoryData<string, Action<BatcherOptions>> BadOptions => new()
    {
        { "MaxBatchSize", o => o.MaxBatchSize = 0 },
        { "MaxBatchSize", o => o.MaxBatchSize = BatcherOptions.MaxBatchSizeLimit + 1 },
        { "FlushInterval", o => o.FlushInterval = TimeSpan.Zero },
        { "FlushInterval", o => o.FlushInterval = TimeSpan.FromMilliseconds(-5) },
        { "Capacity", o => { o.MaxBatchSize = 100; o.Capacity = 99; } },
        { "FullMode", o => o.FullMode = (BatchFullMode)42 },
        { "MaxConcurrentSends", o => o.MaxConcurrentSends = 0 },
        { "MaxRetries", o => o.MaxRetries = -1 },
        { "RetryBaseDelay", o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1) },
        { "MaxRetryDelay", o => { o.RetryBaseDelay = TimeSpan.FromSeconds(2); o.MaxRetryDelay = TimeSpan.FromSeconds(1); } },
        { "ShutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_setting_throws_ArgumentOutOfRangeException_naming_the_option(string option, Action<BatcherOptions> configure)
    {
        var options = new BatcherOptions();
        configure(options);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Batcher<int>(new NullSink<int>(), options));

        Assert.Equal(option, ex.ParamName);
        Assert.Contains("BatcherOptions." + option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_time_provider_throws_ArgumentNullException_naming_the_option()
    {
        var options = new BatcherOptions { TimeProvider = null! };

        var ex = Assert.Throws<ArgumentNullException>(() => new Batcher<int>(new NullSink<int>(), options));

        Assert.Equal("TimeProvider", ex.ParamName);
    }

    [Fact]
    public void Null_sink_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new Batcher<int>(null!, new BatcherOptions()));
    }

    [Fact]
    public void Options_are_copied_at_construction()
    {
        var options = new BatcherOptions { MaxBatchSize = 10, Capacity = 100 };
        var batcher = new Batcher<int>(new NullSink<int>(), options);

        options.MaxBatchSize = 0;

        Assert.Equal(10, batcher.Options.MaxBatchSize);
    }
}
