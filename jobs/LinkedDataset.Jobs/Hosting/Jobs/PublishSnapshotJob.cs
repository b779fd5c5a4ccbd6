using System.ComponentModel;
using Hangfire;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Links the staged extracts that are in landing and publishes a snapshot through the pipeline's
/// link-and-publish step (ingest accounting checked, "snapshot published" audited). Runs as a continuation of
/// every staging job (then it waits until no enqueued extract is left unstaged, so the last staging
/// job to finish publishes once) and nightly (then it publishes whatever is staged). A distributed
/// lock in the Hangfire storage keeps publishes one at a time across every worker, and a publish
/// whose inputs the current snapshot already holds does nothing.
/// </summary>
public sealed class PublishSnapshotJob(JobEnvironment environment, IBackgroundJobClient client)
{
    private readonly ILogger logger = environment.Loggers.CreateLogger<PublishSnapshotJob>();

    [DisplayName("Link and publish a snapshot (after staging: {0})")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public string Run(bool afterStaging, CancellationToken cancellationToken)
    {
        if (afterStaging && PendingExtracts(environment) is { Count: > 0 } pending)
        {
            return $"Not publishing yet: {pending.Count} enqueued extract(s) are still staging; the continuation of the last one publishes.";
        }

        using var connection = environment.Storage.GetConnection();
        using var publishLock = connection.AcquireDistributedLock(JobEnvironment.PublishLock, TimeSpan.FromMinutes(10));
        using var writing = environment.Writing("publish");

        // The Hangfire lock expires after its timeout even while its holder still links (a slow machine, a short
        // LockTimeout); this one does not, so a publish that was waiting starts only after CURRENT has moved, and finds it covers its extracts.
        using var publishing = DatasetLock.AcquirePublishing(environment.Layout, TimeSpan.FromMinutes(30));
        cancellationToken.ThrowIfCancellationRequested();

        var layout = environment.Layout;
        var key = environment.Key(logger);
        var landed = LandingIndex.Read(layout, environment.Storage, logger).Extracts;
        var staged = StagedReports(layout, landed);
        var wrongKey = staged.Where(r => r.KeyId != key.KeyId).ToList();
        if (wrongKey.Count > 0)
        {
            throw new PipelineException(
                $"{wrongKey.Count} extract(s) were staged with key id {wrongKey[0].KeyId} but this worker has key id {key.KeyId} (e.g. {wrongKey[0].Feed}/{wrongKey[0].FileName}). Every worker must use the same key file (KeyFile / --key-file / LDP_PSEUDONYM_KEY).");
        }

        if (!staged.Any(r => r.Feed == "pmi"))
        {
            return $"Nothing to publish: {staged.Count} extract(s) staged but no pmi extract yet, and the person index is built from it.";
        }

        if (CurrentSnapshot.Covering(layout, staged, key.KeyId) is { } current)
        {
            return $"Snapshot {current} already holds these {staged.Count} staged extracts: nothing to publish.";
        }

        var result = environment.Pipeline(logger, "publish").LinkAndPublish(staged, cancellationToken);
        var snapshotId = result.SnapshotId;
        client.Enqueue<RebuildMartsJob>(job => job.Run(snapshotId, CancellationToken.None));
        var unstaged = landed.Count - staged.Count;
        return $"Published snapshot {result.SnapshotId} from {staged.Count} staged extract(s) ({unstaged} in landing not staged), {result.Manifest.TableRows.GetValueOrDefault("person")} people, in {result.Seconds:0.0} s"
            + (result.AlreadyPublished ? " (it already existed; CURRENT now points at it)." : ".");
    }

    /// <summary>Extracts a scan found new that have no staging report yet: staging jobs still to enqueue, run or finish.</summary>
    public static IReadOnlyList<string> PendingExtracts(JobEnvironment environment)
    {
        using var connection = environment.Storage.GetConnection();
        var pending = connection.GetAllItemsFromSet(JobEnvironment.PendingSet) ?? [];
        return pending.Where(item =>
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            return !File.Exists(environment.Layout.StagingReport(item[..slash], item[(slash + 1)..]));
        }).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>True when landing has staged extracts that the current snapshot does not hold (or holds extracts no longer staged).</summary>
    public static bool NeedsPublishing(JobEnvironment environment, IReadOnlyList<LandedExtract> landed)
    {
        var staged = StagedReports(environment.Layout, landed);
        return staged.Any(r => r.Feed == "pmi") && CurrentSnapshot.Covering(environment.Layout, staged, keyId: null) is null;
    }

    private static List<StagingReport> StagedReports(DatasetLayout layout, IReadOnlyList<LandedExtract> landed) =>
        landed.Select(e => ExtractStager.TryReadReport(layout.StagingReport(e.Feed, e.ExtractId)))
            .Where(r => r is { Status: StagingReport.Staged })
            .Select(r => r!)
            .ToList();
}
