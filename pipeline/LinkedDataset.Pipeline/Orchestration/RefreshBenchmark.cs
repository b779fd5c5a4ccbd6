using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>What <see cref="RefreshBenchmark"/> runs on.</summary>
/// <param name="Extracts">A landing-shaped folder of extracts (<c>&lt;feed&gt;/*.csv</c>, <c>_reference/</c>) holding every month; the last month is the incremental one.</param>
/// <param name="Folder">Where the benchmark's dataset, floor output and JSON go; its <c>dataset/</c> and <c>floor/</c> are replaced.</param>
/// <param name="Context">The pipeline context for a dataset folder (key, schemas, limits, scorer), as the caller's real runs build it.</param>
/// <param name="Workers">Extracts staged at once.</param>
public sealed record RefreshBenchmarkOptions(string Extracts, string Folder, Func<DatasetLayout, PipelineContext> Context, int Workers = 2)
{
    /// <summary>What the caller benchmarked, recorded in the JSON (people, months, seed...).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the caller generated <see cref="Extracts"/> for this run (false: reused).</summary>
    public bool Generated { get; init; }

    /// <summary>DuckDB limits of the floor copy; default <see cref="DuckDbLimits.Default"/> (both cores).</summary>
    public DuckDbLimits? FloorLimits { get; init; }
}

/// <summary>
/// <c>ldp bench</c>'s work: a full refresh of every month but the last through the real orchestration
/// (<see cref="PipelineRun.Run"/>, step by step), then the incremental refresh once the last month lands;
/// each measured against its floor, a plain DuckDB <c>read_csv</c> → Parquet (zstd) copy of the same
/// new files, one <c>COPY</c> per feed, run in the same process right after it. Figures only: no
/// row contents are read by the benchmark itself.
/// </summary>
public static class RefreshBenchmark
{
    /// <summary>The dataset folder the refreshes build, under <see cref="RefreshBenchmarkOptions.Folder"/>.</summary>
    public const string DatasetFolder = "dataset";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Runs both refreshes and their floors; returns the figures and writes them to <paramref name="jsonPath"/>.</summary>
    public static BenchResult Run(RefreshBenchmarkOptions options, out string jsonPath, CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var files = ExtractFiles(options.Extracts);
        if (files.Count == 0)
        {
            throw new Common.PipelineException($"No extracts in {options.Extracts}: the benchmark needs landing-shaped folders of CSV extracts (<feed>/<feed>_<provider>_<YYYY-MM>.csv).");
        }

        var periods = files.Select(f => f.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        if (periods.Count < 2)
        {
            throw new Common.PipelineException($"The extracts in {options.Extracts} cover one month ({periods[0]}): the benchmark needs at least two, the last for the incremental refresh.");
        }

        var last = periods[^1];
        var layout = new DatasetLayout(Path.Combine(options.Folder, DatasetFolder));
        var floor = Path.Combine(options.Folder, "floor");
        foreach (var folder in new[] { layout.Root, floor })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        CopyReference(options.Extracts, layout.Landing);
        var full = Refresh("full", files.Where(f => f.Period != last).ToList(), layout, Path.Combine(floor, "full"), options, cancellationToken);
        var incremental = Refresh("incremental", files.Where(f => f.Period == last).ToList(), layout, Path.Combine(floor, "incremental"), options, cancellationToken);
        var result = new BenchResult(started, options.Parameters, Environment.ProcessorCount, full, incremental, options.Generated);

        jsonPath = Path.Combine(options.Folder, $"bench-{started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json");
        AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(result, Json));
        return result;
    }

    private static BenchRefresh Refresh(
        string name, IReadOnlyList<ExtractFile> landed, DatasetLayout layout, string floorFolder, RefreshBenchmarkOptions options, CancellationToken cancellationToken)
    {
        foreach (var file in landed)
        {
            var target = Path.Combine(layout.LandingFeed(file.Feed), Path.GetFileName(file.Path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file.Path, target, overwrite: true);
        }

        GC.Collect();
        ProcessPeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        var run = new PipelineRun(options.Context(layout)).Run(options.Workers, IStepProgress.None, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var peak = ProcessPeakMemory.Peak();

        var rows = run.Stage.Reports.Where(r => r.Status == StagingReport.Staged).Sum(r => r.RowsRead);
        var steps = run.Timings
            .Select(t => new BenchStep(t.Step, t.Elapsed.TotalSeconds, t.Elapsed.TotalSeconds > 0 ? rows / t.Elapsed.TotalSeconds : 0))
            .ToList();
        string[] toPublish = [PipelineRun.ScanStep, PipelineRun.StageStep, PipelineRun.PublishStep];
        var scanToPublish = steps.Where(s => toPublish.Contains(s.Step)).Sum(s => s.Seconds);

        GC.Collect();
        ProcessPeakMemory.Reset();
        var floorSeconds = Floor(landed, floorFolder, options.FloorLimits);
        var floorPeak = ProcessPeakMemory.Peak();
        return new BenchRefresh(name, landed.Count, landed.Sum(f => new FileInfo(f.Path).Length), rows, steps, seconds, scanToPublish, floorSeconds, peak, floorPeak);
    }

    /// <summary>
    /// The floor: one <c>COPY</c> per feed of the same files, read as text (as staging reads them, so
    /// no file's values can contradict types guessed from another's) and written as Parquet (zstd).
    /// </summary>
    private static double Floor(IReadOnlyList<ExtractFile> files, string folder, DuckDbLimits? limits)
    {
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        using var db = DuckDb.OpenInMemory(limits);
        foreach (var feed in files.GroupBy(f => f.Feed))
        {
            DuckDb.Execute(db, $"""
                COPY (SELECT * FROM read_csv({Sql.PathList(feed.Select(f => f.Path))}, header = true, all_varchar = true, union_by_name = true))
                TO {Sql.Path(Path.Combine(folder, feed.Key + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)
                """);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static List<ExtractFile> ExtractFiles(string extracts)
    {
        var found = new List<ExtractFile>();
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var folder = Path.Combine(extracts, feed);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal))
            {
                found.Add(new ExtractFile(feed, LandingScanner.ParseName(feed, Path.GetFileName(path)).Period, path));
            }
        }

        return found;
    }

    /// <summary>Reference files supplied with the extracts (the postcode lookup): copied once, before the first refresh.</summary>
    private static void CopyReference(string extracts, string landing)
    {
        var reference = Path.Combine(extracts, "_reference");
        if (!Directory.Exists(reference))
        {
            return;
        }

        var target = Path.Combine(landing, "_reference");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(reference))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    private sealed record ExtractFile(string Feed, string Period, string Path);
}
