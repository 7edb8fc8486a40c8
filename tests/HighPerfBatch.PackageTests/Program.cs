// A user's program: HighPerfBatch from NuGet, a [Batched] record, batches sent to a loopback receiver it starts itself.
// Exit code 0 when everything arrived as sent, 1 otherwise. Argument: the path of the .nupkg, whose layout is checked too.
using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using HighPerfBatch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PackageConsumer;

var failures = new List<string>();
void Check(bool condition, string what)
{
    Console.WriteLine((condition ? "  ok   " : "  FAIL ") + what);
    if (!condition)
    {
        failures.Add(what);
    }
}

try
{
    if (args.Length > 0)
    {
        CheckPackageLayout(args[0], Check);
    }

    var at = new DateTimeOffset(2024, 10, 14, 5, 11, 6, 123, TimeSpan.Zero);
    PageView Event(int i) => new(i, i % 7 == 0 ? $"/p?q=\"quoted\"\\{i}/é/😀" : $"/page/{i}", at.AddSeconds(i), i % 3 == 0 ? null : i, i % 2 == 0);

    // 1. The generated serializer, found through IBatchable<T> as generic code finds it.
    var buffer = new ArrayBufferWriter<byte>();
    SerializerOf<PageView>().Write([Event(7), Event(8)], buffer);
    var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
    Check(SerializerOf<PageView>().ContentType.StartsWith("application/x-ndjson", StringComparison.Ordinal), "generated serializer is NDJSON");
    Check(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2 && text.EndsWith('\n'), "two items are two lines");

    await using var receiver = await Receiver.StartAsync();

    // 2. The generated batcher over HttpClient, disposed to drain.
    var direct = new Uri(receiver.Address, "/direct?table=page_views");
    using (var http = new HttpClient())
    {
        var batcher = new PageViewBatcher(http, direct);
        Check(batcher.Options.MaxBatchSize == 100, "[Batched(MaxBatchSize = 100)] is the batcher's default");
        var accepted = 0;
        for (var i = 0; i < 250; i++)
        {
            accepted += batcher.TryAdd(Event(i)) ? 1 : 0;
        }

        Check(accepted == 250, $"TryAdd accepted {accepted} of 250");

        await batcher.DisposeAsync();
        var stats = batcher.Statistics;
        Check(stats.Delivered == 250 && stats.Failed == 0 && stats.Dropped == 0, $"statistics: delivered {stats.Delivered}, failed {stats.Failed}, dropped {stats.Dropped}");
    }

    CheckArrived(receiver, "/direct?table=page_views", 250, Event, key: null, Check);

    // 3. Hosting: AddBatcher<T>(configuration).ToHttp(...), Batcher<T> injected, drained by the host's stop.
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Batching:PageView:MaxBatchSize"] = "1000",
        ["Batching:PageView:FlushInterval"] = "01:00:00",
    });
    builder.Services.AddBatcher<PageView>(builder.Configuration.GetSection("Batching:PageView"))
        .ToHttp(new Uri(receiver.Address, "/hosted"), http => http.DefaultRequestHeaders.Add("X-Key", "consumer-key"));
    using (var host = builder.Build())
    {
        await host.StartAsync();
        var batcher = host.Services.GetRequiredService<Batcher<PageView>>();
        Check(batcher.Options.MaxBatchSize == 1000 && batcher.Options.FlushInterval == TimeSpan.FromHours(1), "settings bound from configuration");
        for (var i = 0; i < 40; i++)
        {
            batcher.TryAdd(Event(i));
        }

        await host.StopAsync();
    }

    CheckArrived(receiver, "/hosted", 40, Event, key: "consumer-key", Check);

    // 4. The generator is an analyzer of the package, not a library of the app.
    Check(!File.Exists(Path.Combine(AppContext.BaseDirectory, "HighPerfBatch.Generators.dll")), "HighPerfBatch.Generators.dll is not in the app's output");
    Check(AppDomain.CurrentDomain.GetAssemblies().All(a => a.GetName().Name != "HighPerfBatch.Generators"), "HighPerfBatch.Generators is not loaded");
}
catch (Exception ex)
{
    failures.Add(ex.ToString());
    Console.WriteLine("  FAIL " + ex);
}

Console.WriteLine(failures.Count == 0 ? "consumer: all checks passed" : $"consumer: {failures.Count} check(s) failed");
return failures.Count == 0 ? 0 : 1;

static IBatchSerializer<T> SerializerOf<T>()
    where T : IBatchable<T>
    => T.BatchSerializer;

static void CheckArrived(Receiver receiver, string pathAndQuery, int count, Func<int, PageView> expected, string? key, Action<bool, string> check)
{
    var requests = receiver.Requests.Where(r => r.PathAndQuery == pathAndQuery).ToList();
    var lines = requests.SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
    check(lines.Count == count, $"{pathAndQuery}: {lines.Count} events arrived in {requests.Count} request(s), {count} sent");
    check(requests.All(r => r.ContentType?.StartsWith("application/x-ndjson", StringComparison.Ordinal) == true), $"{pathAndQuery}: Content-Type application/x-ndjson");
    if (key is not null)
    {
        check(requests.All(r => r.Key == key), $"{pathAndQuery}: the named client's X-Key header arrived");
    }

    var seen = new HashSet<long>();
    var mismatches = 0;
    foreach (var line in lines)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var id = root.GetProperty("userId").GetInt64();
        var want = expected((int)id);
        var same = seen.Add(id)
            && root.GetProperty("url").GetString() == want.Url
            && root.GetProperty("at").GetDateTimeOffset() == want.At
            && (want.DurationMs is null ? root.GetProperty("durationMs").ValueKind == JsonValueKind.Null : root.GetProperty("durationMs").GetInt32() == want.DurationMs)
            && root.GetProperty("ok").GetBoolean() == want.Succeeded;
        mismatches += same ? 0 : 1;
    }

    check(mismatches == 0 && seen.Count == count, $"{pathAndQuery}: every event arrived once with the values sent ({mismatches} mismatches)");
}

static void CheckPackageLayout(string nupkg, Action<bool, string> check)
{
    using var zip = ZipFile.OpenRead(nupkg);
    var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
    foreach (var path in new[]
    {
        "lib/net8.0/HighPerfBatch.dll", "lib/net8.0/HighPerfBatch.xml",
        "lib/net10.0/HighPerfBatch.dll", "lib/net10.0/HighPerfBatch.xml",
        "analyzers/dotnet/cs/HighPerfBatch.Generators.dll", "README.md",
    })
    {
        check(entries.Contains(path), "package holds " + path);
    }

    check(!entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal)), "generator is not under lib/");
    var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
    using var reader = new StreamReader(nuspecEntry.Open());
    var nuspec = reader.ReadToEnd();
    check(nuspec.Contains("<license type=\"expression\">MIT</license>", StringComparison.Ordinal), "licence expression MIT");
    check(nuspec.Contains("<readme>README.md</readme>", StringComparison.Ordinal), "readme declared");
    check(nuspec.Contains("<repository type=\"git\"", StringComparison.Ordinal), "repository (Source Link) metadata");
    check(!nuspec.Contains("HighPerfBatch.Generators", StringComparison.Ordinal), "no dependency on the generator");
    check(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), "symbols package beside it");
}
