using System.CommandLine;
using System.Globalization;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Jobs.Logging;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Orchestration;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Commands;

/// <summary>
/// <c>ldp bench</c>: times a full refresh and an incremental one (one more month) through the real
/// pipeline, each against a plain DuckDB copy of the same files, and writes the figures as JSON
/// (<see cref="RefreshBenchmark"/> does the work). Everything goes under <c>&lt;data&gt;/bench/</c>.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var workers = CommonOptions.Workers();
        var memory = CommonOptions.MemoryLimit();
        var people = CommonOptions.WithRange(new Option<int>("--people") { Description = "People in the synthetic population (100 to 5,000,000).", DefaultValueFactory = _ => 50_000 }, 100, 5_000_000);
        var months = CommonOptions.WithRange(new Option<int>("--months") { Description = "Months of the full refresh (1 to 119); one more month is generated for the incremental refresh.", DefaultValueFactory = _ => 12 }, 1, 119);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic population.", DefaultValueFactory = _ => 42 };

        var command = new Command("bench", "Benchmark a refresh: generate (or reuse) synthetic extracts under <data>/bench/, run a full refresh of --months months and then an incremental one (one more month) through the real pipeline, each timed step by step against a plain DuckDB read_csv → Parquet copy of the same files; print rows/s, wall time, the ratio to that floor and peak memory, and write them as JSON.")
        {
            data, workers, memory, people, months, seed,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Create, layout =>
        {
            var bench = Path.Combine(layout.Root, "bench");
            using var writing = WriterLock.Take(new DatasetLayout(bench), "ldp bench");
            var (n, m, s) = (parse.GetValue(people), parse.GetValue(months), parse.GetValue(seed));
            var (extracts, generated) = Extracts(bench, n, m + 1, s);
            var limits = DuckDbLimits.Default with { MemoryLimit = parse.GetValue(memory)! };
            var key = KeySource.Resolve(null, warning => System.Console.Error.WriteLine("warning: " + warning));
            var logs = Path.Combine(bench, "logs");
            Directory.CreateDirectory(logs);
            using var file = new FileLoggerProvider(Path.Combine(logs, $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log"));
            using var loggers = LoggerFactory.Create(b => b.AddProvider(file));
            var schemas = FeedSchemaLoader.LoadAll();
            var options = new RefreshBenchmarkOptions(extracts, bench, dataset => new PipelineContext(dataset, schemas, key, "ldp bench")
            {
                Limits = limits, Loggers = loggers, Scorer = new RiskModel(new RiskModelOptions()),
                DevelopmentKey = KeySource.IsDevelopmentKey(key), Synthetic = true,
            }, parse.GetValue(workers))
            {
                Generated = generated,
                FloorLimits = limits,
                Parameters = new Dictionary<string, string>
                {
                    ["people"] = n.ToString(CultureInfo.InvariantCulture),
                    ["months"] = m.ToString(CultureInfo.InvariantCulture),
                    ["seed"] = s.ToString(CultureInfo.InvariantCulture),
                    ["workers"] = parse.GetValue(workers).ToString(CultureInfo.InvariantCulture),
                    ["memory_limit"] = limits.MemoryLimit,
                    ["threads"] = limits.Threads.ToString(CultureInfo.InvariantCulture),
                },
            };
            System.Console.WriteLine(generated ? $"Generated extracts for {n:N0} people × {m + 1} months in {extracts}." : $"Reusing extracts in {extracts}.");
            var result = RefreshBenchmark.Run(options, out var json);
            Print(result, json);
            return 0;
        }));
        return command;
    }

    /// <summary>The synthetic extracts for these parameters, generated once and reused by later benchmarks.</summary>
    private static (string Folder, bool Generated) Extracts(string bench, int people, int months, ulong seed)
    {
        var folder = Path.Combine(bench, FormattableString.Invariant($"extracts-{people}x{months}-seed{seed}"));
        var complete = Path.Combine(folder, ".complete");
        if (File.Exists(complete))
        {
            return (folder, false);
        }

        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = people, Months = months, Seed = seed, OutputFolder = folder, TruthFolder = folder + "-truth",
        });
        File.WriteAllText(complete, "");
        return (folder, true);
    }

    /// <summary>The figures as plain lines (scripts and the tests read them).</summary>
    private static void Print(BenchResult result, string json)
    {
        foreach (var refresh in new[] { result.Full, result.Incremental })
        {
            System.Console.WriteLine(Invariant($"{refresh.Refresh} refresh: {refresh.Files:N0} files, {refresh.Bytes / 1e6:N1} MB, {refresh.Rows:N0} rows"));
            foreach (var step in refresh.Steps)
            {
                System.Console.WriteLine(Invariant($"  {step.Step,-24} {step.Seconds,9:N1} s {step.RowsPerSecond,14:N0} rows/s"));
            }

            System.Console.WriteLine(Invariant($"  total {refresh.Seconds:N1} s; scan to publish {refresh.ScanToPublishSeconds:N1} s; floor {refresh.FloorSeconds:N1} s"));
            System.Console.WriteLine(Invariant($"  ratio to floor: {refresh.RatioToFloor:N2}× scan to publish, {refresh.TotalRatioToFloor:N2}× with marts and data quality"));
            System.Console.WriteLine($"  peak memory: {Size(refresh.PeakBytes)} (floor {Size(refresh.FloorPeakBytes)})");
        }

        System.Console.WriteLine(Invariant($"incremental / full wall time: {result.IncrementalShare:P0}"));
        System.Console.WriteLine($"figures: {json}");
    }

    private static string Size(long? bytes) => bytes is { } b ? Invariant($"{b / 1e9:N2} GB") : "not available";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
