namespace HighPerfBatch.Tests.Engine;

/// <summary>The options a batcher runs with: defaults, attribute defaults of generated batchers, validation at construction.</summary>
public class OptionsDefaultsTests
{
    [Fact]
    public async Task Null_options_give_the_documented_defaults()
    {
        var batcher = new Batcher<int>(new RecordingSink<int>());
        var o = batcher.Options;

        Assert.Equal(BatcherOptions.DefaultMaxBatchSize, o.MaxBatchSize);
        Assert.Equal(BatcherOptions.DefaultFlushInterval, o.FlushInterval);
        Assert.Equal(BatcherOptions.DefaultCapacity, o.Capacity);
        Assert.Equal(BatchFullMode.Wait, o.FullMode);
        Assert.Equal(BatcherOptions.DefaultMaxConcurrentSends, o.MaxConcurrentSends);
        Assert.Equal(BatcherOptions.DefaultMaxRetries, o.MaxRetries);
        Assert.Equal(BatcherOptions.DefaultShutdownTimeout, o.ShutdownTimeout);
        Assert.Same(TimeProvider.System, o.TimeProvider);
        await Wait.DisposeWithinAsync(batcher);
    }

    [Fact]
    public async Task Generated_batcher_defaults_apply_to_settings_the_user_did_not_set()
    {
        var batcher = new DefaultedBatcher(new BatcherOptions(), 50, TimeSpan.FromSeconds(2));

        Assert.Equal(50, batcher.Options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(2), batcher.Options.FlushInterval);
        await Wait.DisposeWithinAsync(batcher);
    }

    [Fact]
    public async Task Generated_batcher_defaults_never_override_settings_the_user_set()
    {
        var options = new BatcherOptions { MaxBatchSize = 7, FlushInterval = TimeSpan.FromMilliseconds(300) };
        var batcher = new DefaultedBatcher(options, 50, TimeSpan.FromSeconds(2));

        Assert.Equal(7, batcher.Options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(300), batcher.Options.FlushInterval);
        await Wait.DisposeWithinAsync(batcher);
    }

    [Fact]
    public async Task User_setting_equal_to_the_global_default_still_wins_over_a_generated_default()
    {
        var options = new BatcherOptions { MaxBatchSize = BatcherOptions.DefaultMaxBatchSize };
        var batcher = new DefaultedBatcher(options, 50, null);

        Assert.Equal(BatcherOptions.DefaultMaxBatchSize, batcher.Options.MaxBatchSize);
        Assert.Equal(BatcherOptions.DefaultFlushInterval, batcher.Options.FlushInterval);
        await Wait.DisposeWithinAsync(batcher);
    }

    [Fact]
    public void Generated_default_that_breaks_a_rule_is_reported_naming_the_option()
    {
        var options = new BatcherOptions { Capacity = 100 };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DefaultedBatcher(options, 200, null));

        Assert.Equal(nameof(BatcherOptions.Capacity), ex.ParamName);
    }

    [Fact]
    public async Task Generated_defaults_leave_the_callers_options_untouched()
    {
        var options = new BatcherOptions();
        var batcher = new DefaultedBatcher(options, 50, TimeSpan.FromSeconds(2));

        Assert.Equal(BatcherOptions.DefaultMaxBatchSize, options.MaxBatchSize);
        Assert.Equal(BatcherOptions.DefaultFlushInterval, options.FlushInterval);
        Assert.NotSame(options, batcher.Options);
        await Wait.DisposeWithinAsync(batcher);
    }

    [Fact]
    public async Task The_batcher_uses_the_options_it_copied_not_later_changes()
    {
        var clock = new TestClock();
        var sink = new RecordingSink<int>(clock);
        var options = TestOptions.Create(clock, o => o.MaxBatchSize = 5);
        var batcher = new Batcher<int>(sink, options);
        options.MaxBatchSize = 1000;

        for (var i = 0; i < 5; i++)
        {
            Assert.True(batcher.TryAdd(i));
        }

        await Wait.UntilAsync(() => batcher.Statistics.Delivered == 5, "a batch of the copied MaxBatchSize (5)");
        await Wait.DisposeWithinAsync(batcher);
        Invariants.AssertAccountedFor(batcher.Statistics);
    }

    [Fact]
    public void Negative_flush_interval_from_a_generated_default_is_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DefaultedBatcher(new BatcherOptions(), null, TimeSpan.FromSeconds(-1)));

        Assert.Equal(nameof(BatcherOptions.FlushInterval), ex.ParamName);
    }

    private sealed class DefaultedBatcher : Batcher<int>
    {
        public DefaultedBatcher(BatcherOptions options, int? maxBatchSize, TimeSpan? flushInterval)
            : base(new RecordingSink<int>(), options, maxBatchSize, flushInterval)
        {
        }
    }
}
