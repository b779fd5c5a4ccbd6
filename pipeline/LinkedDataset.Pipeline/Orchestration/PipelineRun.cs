using System.Collections.Concurrent;
using System.Diagnostics;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>
/// The one composition of the pipeline's stages: scan → stage → link and publish → marts → data
/// quality. <c>ldp run</c> calls <see cref="Run"/>; each Hangfire job and <c>ldp rekey</c> call the
/// steps they need. Each step returns a typed result and writes its own audit entries and accounting
/// checks, so whoever calls it, the dataset folder ends up the same and the audit log says so.
/// </summary>
public sealed class PipelineRun(PipelineContext context)
{
    /// <summary>Step names, as progress bars and timings show them.</summary>
    public const string ScanStep = "Scanning landing", StageStep = "Staging extracts", PublishStep = "Linking and publishing",
        MartsStep = "Building marts", QualityStep = "Data quality";

    private readonly ILogger logger = context.Loggers.CreateLogger<PipelineRun>();
    private DatasetIdentity? identity;

    /// <summary>The context every step runs in.</summary>
    public PipelineContext Context { get; } = context;

    /// <summary>Every step in order: what <c>ldp run</c> does after generating synthetic data (if it does).</summary>
    public PipelineRunResult Run(int workers, IStepProgress progress, CancellationToken cancellationToken = default)
    {
        var timings = new List<(string, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        T Timed<T>(string step, Func<T> work)
        {
            clock.Restart();
            var result = work();
            timings.Add((step, clock.Elapsed));
            return result;
        }

        var scan = Timed(ScanStep, () => Scan());
        foreach (var refused in scan.Landing.Refused)
        {
            progress.Warn(refused.Message);
        }

        var stage = Timed(StageStep, () => Stage(scan.Landing.Extracts, workers, progress, cancellationToken));
        foreach (var failed in stage.Failed)
        {
            progress.Warn(failed.Error!);
        }

        var snapshot = Timed(PublishStep, () => WithProgress(progress, PublishStep, () => ReuseCurrent(stage.Reports) ?? LinkAndPublish(stage.Reports, cancellationToken)));
        var marts = Timed(MartsStep, () => WithProgress(progress, MartsStep, () => BuildMarts(snapshot.SnapshotId)));
        var quality = Timed(QualityStep, () => WithProgress(progress, QualityStep, () => AssessQuality(snapshot.SnapshotId)));
        AuditLog.For(Context.Layout, Context.Clock).Append(Context.Command, AuditWhat.Run, Context.Key.KeyId, snapshotId: snapshot.SnapshotId);
        return new PipelineRunResult(scan, stage, snapshot, marts, quality, timings);
    }

    /// <summary>
    /// Scan: records landing in the landing registry (new extracts; the same bytes again are a no-op;
    /// files that cannot be extracts are refused with a reason). <paramref name="found"/> is a scan
    /// the caller already made (the scheduler's cached one); by default landing is walked now.
    /// </summary>
    public ScanStepResult Scan(LandingScan? found = null)
    {
        CheckKey();
        var scan = found ?? LandingScanner.ScanAll(Context.Layout);
        var registration = Context.UpdateRegistry(registry => registry.Register(scan, Context.Clock));
        logger.LogInformation("Found {Extracts} extracts in landing: {New} new, {Again} already registered (no-op); {Refused} files refused.",
            scan.Extracts.Count, registration.New.Count, registration.AlreadyRegistered.Count, scan.Refused.Count);
        return new ScanStepResult(scan, registration);
    }

    /// <summary>
    /// Stage: validates and pseudonymises each extract (already staged ones are no-ops), records what
    /// staging did in the landing registry, appends "extract staged" to the audit log for the extracts
    /// staged now, and checks ingest accounting (rows read = staged + quarantined, against the files).
    /// </summary>
    public StageStepResult Stage(IReadOnlyList<LandedExtract> extracts, int workers = 1, IStepProgress? progress = null, CancellationToken cancellationToken = default)
    {
        CheckKey();
        progress?.Start(StageStep, extracts.Count);
        var stager = new ExtractStager(Context.Schemas, Context.Loggers.CreateLogger<ExtractStager>());
        var limits = workers > 1 ? (Context.Limits ?? DuckDbLimits.Default) with { Threads = 1 } : Context.Limits;
        var options = new StagingOptions(Context.Layout, Context.Key, limits, Context.Forms, Context.Clock);
        var reports = new ConcurrentBag<StagingReport>();
        // One DuckDB per worker, reused from extract to extract (opening it and loading the postcode lookup cost more than a small file).
        Parallel.ForEach(
            extracts,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken },
            () => new StagingSession(limits),
            (extract, _, session) =>
            {
                reports.Add(stager.Stage(extract, options, session, cancellationToken));
                progress?.Advance(StageStep);
                return session;
            },
            session => session.Dispose());
        progress?.Finish(StageStep);

        var feedOrder = FeedSchemaLoader.FeedNames.ToList();
        var ordered = reports.OrderBy(r => feedOrder.IndexOf(r.Feed)).ThenBy(r => r.FileName, StringComparer.Ordinal).ToList();
        var superseded = Context.UpdateRegistry(registry => registry.RecordStaging(ordered.Select(r => r.Outcome), Context.Clock));
        var stagedNow = ordered.Where(r => r.Status == StagingReport.Staged).Select(r => r.ExtractId).ToList();
        if (stagedNow.Count > 0)
        {
            AuditLog.For(Context.Layout, Context.Clock).Append(Context.Command, AuditWhat.ExtractStaged, Context.Key.KeyId, extractIds: stagedNow);
        }

        IngestAccounting.Check(Context.Layout, ordered);
        return new StageStepResult(ordered, superseded);
    }

    /// <summary>
    /// Link and publish: checks ingest accounting of every staged extract it is given, links them to
    /// the person index and publishes the snapshot (a no-op when the same inputs were published), and
    /// appends "snapshot published" to the audit log when a new snapshot was written.
    /// </summary>
    public PublishResult LinkAndPublish(IReadOnlyList<StagingReport> reports, CancellationToken cancellationToken = default)
    {
        CheckKey();
        IngestAccounting.Check(Context.Layout, reports);
        var result = new SnapshotPublisher(Context.Schemas, Context.Loggers.CreateLogger<SnapshotPublisher>())
            .Publish(new PublishOptions(Context.Layout, reports, Context.Key.KeyId, Context.Limits) { Checkpoint = Context.PublishCheckpoint }, cancellationToken);
        if (!result.AlreadyPublished)
        {
            AuditLog.For(Context.Layout, Context.Clock).Append(Context.Command, AuditWhat.SnapshotPublished, Context.Key.KeyId,
                extractIds: result.Manifest.Extracts.Select(e => e.ExtractId).ToList(), snapshotId: result.SnapshotId);
        }

        return result;
    }

    /// <summary>
    /// The current snapshot, when nothing was staged now and it already holds every staged extract (a
    /// repeat run on an unchanged landing folder): publishing would find that same snapshot, after linking
    /// everything again. Ingest accounting is still checked. Null when there is something to publish.
    /// </summary>
    public PublishResult? ReuseCurrent(IReadOnlyList<StagingReport> reports)
    {
        CheckKey();
        if (reports.Any(r => r.Status == StagingReport.Staged))
        {
            return null;
        }

        IngestAccounting.Check(Context.Layout, reports);
        var reused = CurrentSnapshot.Reuse(Context.Layout, reports, Context.Key.KeyId, Context.Limits);
        if (reused is not null)
        {
            logger.LogInformation("Nothing new staged and snapshot {SnapshotId} holds every staged extract: reused without linking again.", reused.SnapshotId);
        }

        return reused;
    }

    /// <summary>Marts: costed activity, person_month and person_year of a snapshot (default the current one).</summary>
    public MartsResult BuildMarts(string? snapshotId = null, string? priceYear = null) =>
        MartsBuilder.Build(new MartsOptions(Context.Layout, snapshotId, priceYear, Context.Limits, Context.Scorer));

    /// <summary>Data quality: the matrix of a snapshot (default the current one), written to <c>quality/&lt;snapshot id&gt;/</c>.</summary>
    public QualityStepResult AssessQuality(string? snapshotId = null)
    {
        if (snapshotId is null && Context.Layout.CurrentSnapshotId is null)
        {
            throw new PipelineException($"No snapshot has been published in {Context.Layout.Root} yet; run 'ldp run' first.");
        }

        var matrix = DqMatrix.Build(Context.Layout, Context.Schemas, DqThresholds.Load(Context.DqThresholdsFile), snapshotId, Context.Limits);
        return new QualityStepResult(matrix, DqReport.Write(matrix, Context.Layout));
    }

    /// <summary>
    /// The key is part of the dataset's identity: refuses a key other than the one the dataset was built
    /// with, and the development key on real data, before anything is written (<see cref="DatasetIdentity.Check"/>).
    /// </summary>
    public DatasetIdentity CheckKey() =>
        identity ??= DatasetIdentity.Check(Context.Layout, Context.Key, Context.DevelopmentKey,
            Context.Synthetic || DatasetIdentity.HasSyntheticTruth(Context.Layout), Context.RekeyingFrom);

    private static T WithProgress<T>(IStepProgress progress, string step, Func<T> work)
    {
        progress.Start(step, 1);
        var result = work();
        progress.Finish(step);
        return result;
    }
}
