using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HighPerfBatch.Comparison.Contestants;
using HighPerfBatch.Comparison.Reporting;
using Spectre.Console;

namespace HighPerfBatch.Comparison;

/// <summary>The main job: starts the receiver, runs every contestant under every load in a child process, reports.</summary>
internal static class Comparison
{
    /// <summary>
    /// Paced rows run with tiered compilation off: at 2 batches a second, per-batch code (serialization loop, HTTP
    /// stack) would take the whole window to earn its 30 calls, so the rows would measure tier-0 code and the JIT's
    /// background work rather than steady state. Saturation rows call everything thousands of times a second and
    /// keep the runtime's defaults (tier 1 with dynamic PGO after their warm-up).
    /// </summary>
    private static readonly Dictionary<string, string> PacedEnvironment = new() { ["DOTNET_TieredCompilation"] = "0" };

    public static async Task<int> RunAsync(ComparisonOptions options)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 160; // logs and CI: do not wrap the table at 80 columns
        }

        var machine = Machine.Describe();
        AnsiConsole.MarkupLineInterpolated($"[bold]HighPerfBatch comparison[/] on {machine.Cpu} ({machine.LogicalCores} logical cores), {machine.Runtime}");
        AnsiConsole.MarkupLineInterpolated(
            $"batch {options.BatchSize}, interval {options.IntervalMs} ms, capacity {options.Capacity}, receiver latency {options.LatencyMs} ms, HighPerfBatch/Ceiling concurrency {options.MaxConcurrentSends}, {options.DurationSeconds:0.#} s per run after {options.WarmupSeconds:0.#} s warm-up");

        ChildProcess? receiver = null;
        Uri endpoint;
        Uri? control = null;
        if (options.Endpoint is { } external)
        {
            endpoint = external;
            AnsiConsole.MarkupLineInterpolated($"posting to [yellow]{external}[/] (no latency figures: only the loopback receiver measures them)");
        }
        else
        {
            receiver = ChildProcess.Start(["__receiver", "0", options.LatencyMs.ToString(CultureInfo.InvariantCulture)]);
            var listening = await receiver.ReadLineAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (listening is null || !listening.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]the loopback receiver did not start[/]: {receiver.StandardErrorText()}");
                receiver.Kill();
                return 1;
            }

            control = new Uri(listening["LISTENING ".Length..].Trim());
            endpoint = new Uri(control, "/ingest");
            AnsiConsole.MarkupLineInterpolated($"loopback receiver at {control} (pid {receiver.Id})");
        }

        var results = new List<RunResult>();
        RunResult? floor = null;
        try
        {
            foreach (var load in options.Loads)
            {
                AnsiConsole.WriteLine();
                AnsiConsole.MarkupLineInterpolated($"[bold]{(load == Load.Paced ? $"Paced: {options.Rate:N0} events/s offered" : $"Saturation: {options.Producers} producers as fast as they can")}[/]");
                var loadResults = new List<RunResult>();
                await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        if (load == Load.Paced)
                        {
                            var task = context.AddTask("harness floor (producers only)", maxValue: options.WarmupSeconds + options.DurationSeconds);
                            floor = await RunChildAsync(options, ContestantCatalog.Baseline, load, endpoint, control, task).ConfigureAwait(false);
                            task.Value = task.MaxValue;
                            task.Description = Markup.Escape($"harness floor: {floor.CpuNsPerEvent:N0} ns, {floor.BytesAllocatedPerEvent:0.0} B per event");
                        }

                        foreach (var name in options.Contestants)
                        {
                            var task = context.AddTask(Markup.Escape(name), maxValue: options.WarmupSeconds + options.DurationSeconds);
                            var result = await RunChildAsync(options, name, load, endpoint, control, task).ConfigureAwait(false);
                            task.Value = task.MaxValue;
                            task.Description = Markup.Escape($"{name}: {result.EventsPerMinute:N0} events/min") + (result.Error is null ? "" : " [red]failed[/]");
                            loadResults.Add(result);
                        }
                    }).ConfigureAwait(false);

                AnsiConsole.Write(ConsoleTable.For(loadResults));
                results.AddRange(loadResults);
            }
        }
        finally
        {
            receiver?.Stop();
        }

        var report = new ComparisonReport
        {
            Machine = machine,
            Settings = new ComparisonSettings
            {
                DurationSeconds = options.DurationSeconds,
                WarmupSeconds = options.WarmupSeconds,
                Rate = options.Rate,
                LatencyMs = options.LatencyMs,
                BatchSize = options.BatchSize,
                IntervalMs = options.IntervalMs,
                Capacity = options.Capacity,
                MaxConcurrentSends = options.MaxConcurrentSends,
                Producers = options.Producers,
                Receiver = options.Endpoint?.ToString() ?? "loopback (separate process)",
            },
            Runs = results,
            HarnessFloor = floor,
        };

        Directory.CreateDirectory(options.OutDirectory);
        var jsonPath = Path.Combine(options.OutDirectory, "comparison.json");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, ModelJson.Default.ComparisonReport)).ConfigureAwait(false);
        var mdPath = Path.Combine(options.OutDirectory, "comparison.md");
        await File.WriteAllTextAsync(mdPath, MarkdownReport.Render(report)).ConfigureAwait(false);
        var chartPath = Path.Combine(options.OutDirectory, "comparison.png");
        string chartNote;
        try
        {
            Chart.Save(report, chartPath);
            chartNote = chartPath;
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or InvalidOperationException)
        {
            chartNote = $"(chart not drawn: {ex.GetBaseException().Message})";
        }

        AnsiConsole.WriteLine();
        foreach (var line in MarkdownReport.Verdicts(report))
        {
            AnsiConsole.MarkupLineInterpolated($"  {line}");
        }

        AnsiConsole.MarkupLineInterpolated($"wrote {mdPath}, {jsonPath}, {chartNote}");
        return results.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static async Task<RunResult> RunChildAsync(
        ComparisonOptions options, string name, Load load, Uri endpoint, Uri? control, ProgressTask task)
    {
        var request = new RunRequest
        {
            Contestant = name,
            Load = load,
            DurationSeconds = options.DurationSeconds,
            WarmupSeconds = options.WarmupSeconds,
            Rate = options.Rate,
            Producers = options.Producers,
            BatchSize = options.BatchSize,
            IntervalMs = options.IntervalMs,
            Capacity = options.Capacity,
            MaxConcurrentSends = options.MaxConcurrentSends,
            LatencyMs = options.LatencyMs,
            Endpoint = endpoint,
            ReceiverControl = control,
        };
        using var child = ChildProcess.Start(
            ["__run", JsonSerializer.Serialize(request, ModelJson.Default.RunRequest).ReplaceLineEndings(" ")],
            load == Load.Paced ? PacedEnvironment : null);
        var started = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds + 60);
        RunResult? result = null;
        while (true)
        {
            var line = await child.ReadLineAsync(limit - started.Elapsed).ConfigureAwait(false);
            if (line is null)
            {
                break;
            }

            if (line.StartsWith("PROGRESS ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                task.Value = options.WarmupSeconds + double.Parse(parts[1], CultureInfo.InvariantCulture);
                task.Description = Markup.Escape($"{name}: {long.Parse(parts[2], CultureInfo.InvariantCulture):N0} delivered");
            }
            else if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize(line["RESULT ".Length..], ModelJson.Default.RunResult);
            }
            else if (started.Elapsed < TimeSpan.FromSeconds(1) && options.WarmupSeconds > 0)
            {
                task.Value = Math.Min(options.WarmupSeconds, started.Elapsed.TotalSeconds);
            }
        }

        if (!child.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            child.Kill();
        }

        if (result is null)
        {
            return new RunResult
            {
                Contestant = name,
                Load = load,
                Error = $"the run did not report (exit code {child.ExitCodeOrNull}): {child.StandardErrorText()}",
            };
        }

        return result;
    }
}
