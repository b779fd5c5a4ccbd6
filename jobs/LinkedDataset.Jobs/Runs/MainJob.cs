using System.Collections.Concurrent;
using System.Diagnostics;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Runs;

/// <summary>Options of <c>ldp run</c>.</summary>
public sealed record MainJobOptions(
    string DataFolder,
    string? KeyFile = null,
    int SyntheticPeople = 50_000,
    int SyntheticMonths = 24,
    ulong SyntheticSeed = 42,
    int Workers = 2,
    DuckDbLimits? Limits = null)
{
    /// <summary>Clock for received times and future-date checks; default the system clock.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Data-quality thresholds file; default <c>schemas/dq_thresholds.yaml</c>.</summary>
    public string? DqThresholdsFile { get; init; }
}

/// <summary>One feed's line of the run summary.</summary>
public sealed record FeedSummary(string Feed, int Files, int FilesFailed, long RowsRead, long RowsStaged, long RowsQuarantined, long DuplicatesRemoved, long LinkedRows, long ActivityRows)
{
    public double? LinkRate => Feed == "pmi" || ActivityRows == 0 ? null : (double)LinkedRows / ActivityRows;
}

/// <summary>What <c>ldp run</c> did and the answer it gives.</summary>
public sealed record MainJobResult(
    SyntheticResult? GeneratedSyntheticData,
    IReadOnlyList<StagingReport> Extracts,
    IReadOnlyList<FeedSummary> Feeds,
    PublishResult Snapshot,
    EmergencyAdmissionAnswer Answer,
    long People,
    IReadOnlyList<(string Stage, TimeSpan Elapsed)> Timings)
{
    /// <summary>What the landing registry made of the scan: new extracts, the same bytes again (no-ops), refused files.</summary>
    public RegistrationResult? Registration { get; init; }

    /// <summary>Earlier deliveries replaced by a newer one for the same provider + feed + period in this run.</summary>
    public IReadOnlyList<RegistryEntry> Superseded { get; init; } = [];

    /// <summary>The data-quality matrix written with the snapshot.</summary>
    public DqMatrixResult? Quality { get; init; }
}

/// <summary>
/// The main job, end to end on the embedded default: generate synthetic extracts if landing is
/// empty, stage every extract, link and publish a snapshot, and answer one question from it.
/// </summary>
public sealed class MainJob(ILoggerFactory loggers)
{
    public const string Generate = "Generating synthetic extracts";
    public const string Stage = "Staging extracts";
    public const string Publish = "Linking and publishing";
    public const string Answer = "Answering";

    public MainJobResult Run(MainJobOptions options, IRunProgress progress, CancellationToken cancellationToken = default)
    {
        var logger = loggers.CreateLogger<MainJob>();
        var layout = new DatasetLayout(Path.GetFullPath(options.DataFolder));
        var timings = new List<(string, TimeSpan)>();
        var clock = Stopwatch.StartNew();

        SyntheticResult? generated = null;
        if (LandingScanner.ScanAll(layout) is { Extracts.Count: 0, Refused.Count: 0 })
        {
            progress.Start(Generate, options.SyntheticMonths);
            generated = SyntheticGenerator.Generate(
                new SyntheticOptions
                {
                    People = options.SyntheticPeople,
                    Months = options.SyntheticMonths,
                    Seed = options.SyntheticSeed,
                    OutputFolder = layout.Landing,
                    TruthFolder = Path.Combine(layout.Root, "synthetic-truth"),
                },
                new Progress<SyntheticProgress>(_ => progress.Advance(Generate)),
                cancellationToken);
            progress.Finish(Generate);
            logger.LogInformation("Generated {People} synthetic people over {Months} months.", options.SyntheticPeople, options.SyntheticMonths);
            timings.Add((Generate, clock.Elapsed));
            clock.Restart();
        }

        var key = KeySource.Resolve(options.KeyFile, progress.Warn);
        logger.LogInformation("Pseudonymisation key id {KeyId}.", key.KeyId);
        var schemas = FeedSchemaLoader.LoadAll();
        var scan = LandingScanner.ScanAll(layout);
        var extracts = scan.Extracts;
        var registration = LandingRegistry.Update(layout, registry => registry.Register(scan, options.Clock));
        foreach (var refused in scan.Refused)
        {
            progress.Warn(refused.Message);
        }

        logger.LogInformation("Found {Extracts} extracts in landing: {New} new, {Again} already registered (no-op); {Refused} files refused.",
            extracts.Count, registration.New.Count, registration.AlreadyRegistered.Count, scan.Refused.Count);

        progress.Start(Stage, extracts.Count);
        var stager = new ExtractStager(schemas, loggers.CreateLogger<ExtractStager>());
        var stagingLimits = (options.Limits ?? DuckDbLimits.Default) with { Threads = 1 };
        var reports = new ConcurrentBag<StagingReport>();
        Parallel.ForEach(
            extracts,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers), CancellationToken = cancellationToken },
            extract =>
            {
                reports.Add(stager.Stage(extract, new StagingOptions(layout, key, stagingLimits, Clock: options.Clock), cancellationToken));
                progress.Advance(Stage);
            });
        progress.Finish(Stage);
        var ordered = reports.OrderBy(r => FeedOrder(r.Feed)).ThenBy(r => r.FileName, StringComparer.Ordinal).ToList();
        foreach (var failed in ordered.Where(r => r.Status == StagingReport.Failed))
        {
            progress.Warn(failed.Error!);
        }

        var superseded = LandingRegistry.Update(layout, registry => registry.RecordStaging(ordered.Select(r => r.Outcome), options.Clock));
        IngestAccounting.Check(layout, ordered);
        timings.Add((Stage, clock.Elapsed));
        clock.Restart();

        progress.Start(Publish, 1);
        var snapshot = new SnapshotPublisher(schemas, loggers.CreateLogger<SnapshotPublisher>())
            .Publish(new PublishOptions(layout, ordered, key.KeyId, options.Limits), cancellationToken);
        progress.Finish(Publish);
        AuditLog.For(layout).RecordRun("ldp run", key.KeyId, ordered, snapshot.SnapshotId, snapshot.AlreadyPublished);
        var quality = DqMatrix.Build(layout, schemas, DqThresholds.Load(options.DqThresholdsFile), snapshot.SnapshotId, options.Limits);
        DqReport.Write(quality, layout);
        timings.Add((Publish, clock.Elapsed));
        clock.Restart();

        progress.Start(Answer, 1);
        var answer = EmergencyAdmissionRates.Compute(layout, SdcPolicy.Default, snapshot.SnapshotId, options.Limits);
        progress.Finish(Answer);
        timings.Add((Answer, clock.Elapsed));

        var feeds = FeedSchemaLoader.FeedNames.Select(feed =>
        {
            var mine = ordered.Where(r => r.Feed == feed).ToList();
            snapshot.LinkRates.TryGetValue(feed, out var link);
            return new FeedSummary(
                feed, mine.Count, mine.Count(r => r.Status == StagingReport.Failed),
                mine.Sum(r => r.RowsRead), mine.Sum(r => r.RowsStaged), mine.Sum(r => r.RowsQuarantined),
                snapshot.Manifest.DuplicatesRemoved.GetValueOrDefault(feed), link?.Linked ?? 0, link?.Rows ?? 0);
        }).ToList();

        logger.LogInformation("Run finished: snapshot {SnapshotId}, {People} people.", snapshot.SnapshotId, snapshot.Manifest.TableRows["person"]);
        return new MainJobResult(generated, ordered, feeds, snapshot, answer, snapshot.Manifest.TableRows["person"], timings)
        {
            Registration = registration, Superseded = superseded, Quality = quality,
        };
    }

    private static int FeedOrder(string feed) => FeedSchemaLoader.FeedNames.ToList().IndexOf(feed);
}
