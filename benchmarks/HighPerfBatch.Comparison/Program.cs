using System.Text.Json;
using HighPerfBatch.Comparison;
using HighPerfBatch.Comparison.Receiver;

// One executable, three roles: the comparison (no verb), the loopback receiver and one measured run, each of the
// last two started by the comparison as a child process of its own.
if (args is ["__receiver", var port, var latency])
{
    return await LoopbackReceiver.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(double.Parse(latency, System.Globalization.CultureInfo.InvariantCulture)));
}

if (args is ["__run", var json])
{
    var request = JsonSerializer.Deserialize(json, ModelJson.Default.RunRequest)
        ?? throw new ArgumentException("Empty run request.", nameof(args));
    return await ContestantRunner.RunAsync(request);
}

ComparisonOptions options;
try
{
    options = ComparisonOptions.Parse(args);
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(ComparisonOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(ComparisonOptions.Usage);
    return 0;
}

return await Comparison.RunAsync(options);
