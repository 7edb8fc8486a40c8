using System.Globalization;
using System.Text.Json.Serialization;
using HighPerfBatch.Comparison.Contestants;

namespace HighPerfBatch.Comparison;

public enum Load
{
    /// <summary>Producers paced to --rate events/s in all (the seed's 2,000/s).</summary>
    [JsonStringEnumMemberName("paced")]
    Paced,

    /// <summary>Producers adding as fast as they can.</summary>
    [JsonStringEnumMemberName("saturation")]
    Saturation,
}

/// <summary>The command line. Scripts read these names: keep them.</summary>
public sealed class ComparisonOptions
{
    /// <summary>
    /// MaxConcurrentSends we recommend for a receiver with a given latency (README, "Choosing the settings"): by
    /// Little's law a batcher needs rate × latency ÷ batch size sends in flight. Measured here at 10 ms with 1,000-event
    /// batches (saturation, HighPerfBatch alone): 16 sends gave 76 M events/min (80 % of its 96 M bound: latency-bound),
    /// 32 gave 116 M, 64 gave 143 M with the client CPU-bound (bound 384 M). So 6.4 per millisecond of latency: enough
    /// that the bound is never the limit on this 2-core machine, without piling up requests for nothing.
    /// </summary>
    public static int RecommendedMaxConcurrentSends(double latencyMs) => (int)Math.Clamp(Math.Ceiling(latencyMs * 6.4), 4, 256);

    public const string Usage = """
        Usage: dotnet run -c Release --project benchmarks/HighPerfBatch.Comparison -- [options]

          --load paced|saturation|both   which loads to run (default both)
          --duration SECONDS             measured time per contestant and load (default 5)
          --rate N                       events/s offered in the paced load (default 2000)
          --latency MS                   delay the loopback receiver adds to each request (default 10)
          --contestants a,b,...          subset, in any order: WorkerPool(10), WorkerPool(100), DeepCopyAsync,
                                         OpenTelemetry, HighPerfBatch, Ceiling (default all)
          --endpoint URL                 post to a real receiver instead of the loopback one (no latency figures)
          --out DIR                      where comparison.md/.json/.png go (default benchmarks/results)
          --batch-size N                 events per batch for every contestant (default 1000)
          --interval MS                  flush interval for every contestant (default 1000)
          --max-concurrent-sends N       HighPerfBatch's and the Ceiling's concurrency (default: recommended for --latency)
          --producers N                  producer threads of the saturation load (default 4; paced uses 1)
          --warmup SECONDS               unmeasured run before each measurement (default 1)
        """;

    public IReadOnlyList<Load> Loads { get; private set; } = [Load.Paced, Load.Saturation];

    public double DurationSeconds { get; private set; } = 5;

    public int Rate { get; private set; } = 2000;

    public int LatencyMs { get; private set; } = 10;

    public IReadOnlyList<string> Contestants { get; private set; } = ContestantCatalog.Names;

    public Uri? Endpoint { get; private set; }

    public string OutDirectory { get; private set; } = Path.Combine(RepositoryRoot(), "benchmarks", "results");

    public int BatchSize { get; private set; } = 1000;

    public int IntervalMs { get; private set; } = 1000;

    public int Capacity { get; private set; } = 100_000;

    public int? MaxConcurrentSendsOverride { get; private set; }

    public int MaxConcurrentSends => MaxConcurrentSendsOverride ?? RecommendedMaxConcurrentSends(LatencyMs);

    public int Producers { get; private set; } = 4;

    public double WarmupSeconds { get; private set; } = 1;

    public bool ShowHelp { get; private set; }

    /// <summary>Parses the command line; throws <see cref="FormatException"/> with a message for the user.</summary>
    public static ComparisonOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ComparisonOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                options.ShowHelp = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"Unexpected argument '{arg}'. Options start with --.");
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (value is null)
            {
                throw new FormatException($"{name} needs a value.");
            }

            switch (name)
            {
                case "--load":
                    options.Loads = value.ToLowerInvariant() switch
                    {
                        "paced" => [Load.Paced],
                        "saturation" => [Load.Saturation],
                        "both" => [Load.Paced, Load.Saturation],
                        _ => throw new FormatException($"--load must be paced, saturation or both; it was '{value}'."),
                    };
                    break;
                case "--duration":
                    options.DurationSeconds = Number(name, value, 0.5, 3600);
                    break;
                case "--rate":
                    options.Rate = (int)Number(name, value, 1, 100_000_000);
                    break;
                case "--latency":
                    options.LatencyMs = (int)Number(name, value, 0, 60_000);
                    break;
                case "--contestants":
                    options.Contestants = ParseContestants(value);
                    break;
                case "--endpoint":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new FormatException($"--endpoint must be an absolute http(s) URL; it was '{value}'.");
                    }

                    options.Endpoint = uri;
                    break;
                case "--out":
                    options.OutDirectory = Path.GetFullPath(value);
                    break;
                case "--batch-size":
                    options.BatchSize = (int)Number(name, value, 1, 1 << 20);
                    break;
                case "--interval":
                    options.IntervalMs = (int)Number(name, value, 1, 3_600_000);
                    break;
                case "--max-concurrent-sends":
                    options.MaxConcurrentSendsOverride = (int)Number(name, value, 1, 1024);
                    break;
                case "--producers":
                    options.Producers = (int)Number(name, value, 1, 256);
                    break;
                case "--warmup":
                    options.WarmupSeconds = Number(name, value, 0, 600);
                    break;
                default:
                    throw new FormatException($"Unknown option '{name}'.");
            }
        }

        options.Capacity = Math.Max(options.Capacity, options.BatchSize);
        return options;
    }

    private static string[] ParseContestants(string value)
    {
        var names = new List<string>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = ContestantCatalog.Resolve(part)
                ?? throw new FormatException($"Unknown contestant '{part}'. Known: {string.Join(", ", ContestantCatalog.Names)}.");
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        if (names.Count == 0)
        {
            throw new FormatException("--contestants needs at least one name.");
        }

        // Always in the catalogue's order, so tables line up from run to run.
        return ContestantCatalog.Names.Where(names.Contains).ToArray();
    }

    private static double Number(string name, string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || double.IsNaN(number))
        {
            throw new FormatException($"{name} must be a number; it was '{value}'.");
        }

        if (number < min || number > max)
        {
            throw new FormatException($"{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}; it was {value}.");
        }

        return number;
    }

    /// <summary>The folder holding HighPerfBatch.sln above the working directory, or the working directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HighPerfBatch.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
