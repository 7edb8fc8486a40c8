namespace HighPerfBatch.Comparison.Contestants;

/// <summary>The contestants by their display names (which comparison.json uses), in the order they run.</summary>
public static class ContestantCatalog
{
    public static readonly IReadOnlyList<string> Names =
        ["WorkerPool(10)", "WorkerPool(100)", "DeepCopyAsync", "OpenTelemetry", "HighPerfBatch", "Ceiling"];

    /// <summary>The harness's floor (producers only), run before the paced rows; not a contestant.</summary>
    public const string Baseline = "Baseline";

    /// <summary>Finds a contestant by name, ignoring case and punctuation: <c>workerpool10</c>, <c>otel</c>, <c>hpb</c>.</summary>
    public static string? Resolve(string name)
    {
        var key = Key(name);
        return key switch
        {
            "otel" => "OpenTelemetry",
            "hpb" => "HighPerfBatch",
            "pool10" => "WorkerPool(10)",
            "pool100" => "WorkerPool(100)",
            "deepcopy" => "DeepCopyAsync",
            _ => Names.FirstOrDefault(n => Key(n) == key),
        };
    }

    public static Contestant Create(string name, ContestantSettings settings, HttpClient http) => name switch
    {
        "WorkerPool(10)" => new WorkerPoolContestant(10, settings, http),
        "WorkerPool(100)" => new WorkerPoolContestant(100, settings, http),
        "DeepCopyAsync" => new DeepCopyAsyncContestant(settings, http),
        "OpenTelemetry" => new OpenTelemetryContestant(settings, http),
        "HighPerfBatch" => new HighPerfBatchContestant(settings, http),
        "Ceiling" => new CeilingContestant(settings, http),
        Baseline => new BaselineContestant(),
        _ => throw new ArgumentException($"Unknown contestant '{name}'.", nameof(name)),
    };

    private static string Key(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
