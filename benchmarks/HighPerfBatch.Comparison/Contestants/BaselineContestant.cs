namespace HighPerfBatch.Comparison.Contestants;

/// <summary>
/// Not a contestant: the producers alone (events made and stamped, then discarded). Its CPU and bytes per event are
/// the harness's floor under the paced load, which every row pays; the report prints it beside the table.
/// </summary>
public sealed class BaselineContestant : Contestant
{
    private long _added;

    public override string Name => ContestantCatalog.Baseline;

    public override int? Concurrency => null;

    public override long Delivered => Volatile.Read(ref _added);

    public override void Start()
    {
    }

    public override bool Add(in ComparisonEvent item)
    {
        Interlocked.Increment(ref _added);
        return true;
    }

    public override Task DrainAsync(TimeSpan timeout) => Task.CompletedTask;
}
