using System.Diagnostics;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Orchestration;
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

/// <summary>
/// One feed's line of the run summary. <c>LinkedRows</c> are rows linked to a registered person
/// (deterministically or probabilistically) out of <c>ActivityRows</c> in the snapshot.
/// </summary>
public sealed record FeedSummary(string Feed, int Files, int FilesFailed, long RowsRead, long RowsStaged, long RowsQuarantined, long DuplicatesRemoved, long LinkedRows, long ActivityRows)
{
    /// <summary>Rows given a provisional person: reported beside the link rate, never in it.</summary>
    public long ProvisionalRows { get; init; }

    /// <summary>Rows linked to a registered person over rows; null for the person index itself or an empty feed.</summary>
    public double? LinkRate => Feed == "pmi" || ActivityRows == 0 ? null : (double)LinkedRows / ActivityRows;

    /// <summary>Rows given a provisional person over rows; null for the person index itself or an empty feed.</summary>
    public double? ProvisionalRate => Feed == "pmi" || ActivityRows == 0 ? null : (double)ProvisionalRows / ActivityRows;
}

/// <summary>What <c>ldp run</c> did and the answer it gives (null when the snapshot cannot answer it: see <see cref="Unanswered"/>).</summary>
public sealed record MainJobResult(
    SyntheticResult? GeneratedSyntheticData,
    IReadOnlyList<StagingReport> Extracts,
    IReadOnlyList<FeedSummary> Feeds,
    PublishResult Snapshot,
    EmergencyAdmissionAnswer? Answer,
    long People,
    IReadOnlyList<(string Stage, TimeSpan Elapsed)> Timings)
{
    /// <summary>What the landing registry made of the scan: new extracts, the same bytes again (no-ops), refused files.</summary>
    public RegistrationResult? Registration { get; init; }

    /// <summary>Earlier deliveries replaced by a newer one for the same provider + feed + period in this run.</summary>
    public IReadOnlyList<RegistryEntry> Superseded { get; init; } = [];

    /// <summary>The data-quality matrix written with the snapshot.</summary>
    public DqMatrixResult? Quality { get; init; }

    /// <summary>The marts built from the snapshot.</summary>
    public MartsResult? Marts { get; init; }

    /// <summary>Why the question could not be answered (e.g. no admitted care extract in landing); null when it was.</summary>
    public string? Unanswered { get; init; }
}

/// <summary>
/// <c>ldp run</c> on the embedded default: generate synthetic extracts if landing is empty, run the
/// pipeline (<see cref="PipelineRun"/>: scan, stage, link and publish, marts, data quality), and
/// answer one question from the snapshot.
/// </summary>
public sealed class MainJob(ILoggerFactory loggers)
{
    public const string Generate = "Generating synthetic extracts";
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
        }

        var key = KeySource.Resolve(options.KeyFile, progress.Warn);
        logger.LogInformation("Pseudonymisation key id {KeyId}.", key.KeyId);
        var pipeline = new PipelineRun(new PipelineContext(layout, FeedSchemaLoader.LoadAll(), key, "ldp run")
        {
            Limits = options.Limits, Clock = options.Clock, Loggers = loggers, Scorer = new RiskModel(new RiskModelOptions()),
            DqThresholdsFile = options.DqThresholdsFile, DevelopmentKey = KeySource.IsDevelopmentKey(key), Synthetic = generated is not null,
        });
        var run = pipeline.Run(options.Workers, progress, cancellationToken);
        timings.AddRange(run.Timings);

        clock.Restart();
        progress.Start(Answer, 1);
        EmergencyAdmissionAnswer? answer = null;
        string? unanswered = null;
        try
        {
            answer = EmergencyAdmissionRates.Compute(layout, SdcPolicy.Default, run.Snapshot.SnapshotId, options.Limits);
        }
        catch (PipelineException e)
        {
            // A feed absent from landing leaves a question unanswerable, not the run failed: the snapshot is published.
            unanswered = e.Message;
            logger.LogWarning("Emergency admission rates not answered: {Reason}", e.Message);
        }

        progress.Finish(Answer);
        timings.Add((Answer, clock.Elapsed));

        var snapshot = run.Snapshot;
        var feeds = FeedSchemaLoader.FeedNames.Select(feed =>
        {
            var mine = run.Stage.Reports.Where(r => r.Feed == feed).ToList();
            snapshot.LinkRates.TryGetValue(feed, out var link);
            return new FeedSummary(
                feed, mine.Count, mine.Count(r => r.Status == StagingReport.Failed),
                mine.Sum(r => r.RowsRead), mine.Sum(r => r.RowsStaged), mine.Sum(r => r.RowsQuarantined),
                snapshot.Manifest.DuplicatesRemoved.GetValueOrDefault(feed), link?.Linked ?? 0, link?.Rows ?? 0)
            {
                ProvisionalRows = link?.Provisional ?? 0,
            };
        }).ToList();

        var people = snapshot.Manifest.TableRows["person"];
        logger.LogInformation("Run finished: snapshot {SnapshotId}, {People} people.", snapshot.SnapshotId, people);
        return new MainJobResult(generated, run.Stage.Reports, feeds, snapshot, answer, people, timings)
        {
            Registration = run.Scan.Registration, Superseded = run.Stage.Superseded, Quality = run.Quality.Matrix, Marts = run.Marts,
            Unanswered = unanswered,
        };
    }
}
