using BenchmarkDotNet.Running;
using HighPerfBatch.Benchmarks;

// `--alloc-gate [ARTIFACTS_DIR]`: the CI allocation gate (exit code 1 when a hot path is over budget).
// Anything else goes to BenchmarkDotNet's switcher: `--filter '*AddBenchmarks*'`, `--list flat`, `--job short`...
if (args.Length > 0 && args[0] == "--alloc-gate")
{
    string artifacts = args.Length > 1 ? args[1] : Path.Combine("benchmarks", "results", "ci");
    return AllocationBudget.Run(Path.GetFullPath(artifacts));
}

BenchmarkSwitcher.FromAssembly(typeof(AddBenchmarks).Assembly).Run(args);
return 0;
