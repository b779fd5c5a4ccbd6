using System.ComponentModel;
using Hangfire;
using LinkedDataset.Pipeline.Staging;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Recurring: records landing in the landing registry (new extracts; the same bytes again are a
/// no-op; badly named or non-.csv files are refused), then finds extracts that are not staged yet and
/// enqueues one staging job per extract, each followed by a publish continuation. Jobs are keyed by extract id (content hash), and
/// an extract already enqueued is not enqueued again, so overlapping or repeated scans are harmless.
/// </summary>
public sealed class ScanLandingJob(JobEnvironment environment, IBackgroundJobClient client)
{
    private readonly ILogger logger = environment.Loggers.CreateLogger<ScanLandingJob>();

    [DisplayName("Scan landing for new extracts")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600])]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public string Run(CancellationToken cancellationToken)
    {
        var layout = environment.Layout;
        var scan = LandingIndex.Read(layout, environment.Storage, logger);
        cancellationToken.ThrowIfCancellationRequested();

        // Recorded before any staging job is enqueued, so the registry knows every extract it stages,
        // in the order first seen (a later delivery for the same provider + feed + period supersedes).
        using var writing = environment.Writing("scan");
        var registration = environment.Pipeline(logger, "scan").Scan(scan.Landing).Registration;

        HashSet<string> enqueued;
        using (var connection = environment.Storage.GetConnection())
        {
            enqueued = connection.GetAllItemsFromSet(JobEnvironment.EnqueuedSet) ?? [];
        }

        var fresh = scan.Extracts
            .Where(e => !enqueued.Contains(e.Feed + "/" + e.ExtractId)
                && ExtractStager.TryReadReport(layout.StagingReport(e.Feed, e.ExtractId)) is not { Status: StagingReport.Staged })
            .ToList();
        using (var connection = environment.Storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            // The whole batch is pending before any of it is enqueued (see JobEnvironment.PendingSet);
            // pending items no longer in landing are dropped.
            var landed = scan.Extracts.Select(e => e.Feed + "/" + e.ExtractId).ToHashSet();
            foreach (var stale in (connection.GetAllItemsFromSet(JobEnvironment.PendingSet) ?? []).Where(p => !landed.Contains(p)))
            {
                transaction.RemoveFromSet(JobEnvironment.PendingSet, stale);
            }

            foreach (var extract in fresh)
            {
                transaction.AddToSet(JobEnvironment.PendingSet, extract.Feed + "/" + extract.ExtractId);
            }

            transaction.Commit();
        }

        foreach (var extract in fresh)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Enqueue first, then remember: a crash in between enqueues the extract again next time,
            // which is harmless (staging is idempotent); the other order could lose it.
            var stage = client.Enqueue<StageExtractJob>(job => job.Run(extract.Feed, extract.FileName, extract.ExtractId, CancellationToken.None));
            client.ContinueJobWith<PublishSnapshotJob>(stage, job => job.Run(true, CancellationToken.None), JobContinuationOptions.OnlyOnSucceededState);
            using var connection = environment.Storage.GetConnection();
            using var transaction = connection.CreateWriteTransaction();
            transaction.AddToSet(JobEnvironment.EnqueuedSet, extract.Feed + "/" + extract.ExtractId);
            transaction.Commit();
        }

        var added = fresh.Count;
        var message = $"Landing holds {scan.Extracts.Count} extract(s) ({scan.Hashed} hashed this scan; registry: {registration.New.Count} new, {registration.AlreadyRegistered.Count} already registered, {registration.NewlyRefused.Count} newly refused); enqueued staging for {added} new extract(s).";
        if (added == 0 && PublishSnapshotJob.PendingExtracts(environment).Count == 0 && PublishSnapshotJob.NeedsPublishing(environment, scan.Extracts))
        {
            // Nothing left to stage, yet the current snapshot does not hold everything staged
            // (e.g. the last staging job failed, so its continuation never ran): publish now.
            client.Enqueue<PublishSnapshotJob>(job => job.Run(false, CancellationToken.None));
            message += " Everything is staged but not yet published: enqueued a publish.";
        }

        if (scan.Problems.Count > 0)
        {
            message += $" {scan.Problems.Count} file(s) skipped: " + string.Join(" | ", scan.Problems);
        }

        logger.LogInformation("{Message}", message);
        return message;
    }
}
