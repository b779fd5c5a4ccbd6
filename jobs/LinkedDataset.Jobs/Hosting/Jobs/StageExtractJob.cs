using System.ComponentModel;
using Hangfire;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Stages one extract, named by feed, file name and extract id (never its rows), through the
/// pipeline's staging step: the landing registry records the report (staged or failed, and any
/// supersession), the audit log "extract staged", and ingest accounting is checked. Idempotent: an
/// extract already staged is reported as such and not staged again, so a job run twice (a worker
/// died, a scan enqueued it twice) does no harm.
/// </summary>
public sealed class StageExtractJob(JobEnvironment environment)
{
    private readonly ILogger logger = environment.Loggers.CreateLogger<StageExtractJob>();

    [DisplayName("Stage {0}/{1} (extract {2})")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600], ExceptOn = [typeof(ExtractRejectedException)])]
    public string Run(string feed, string fileName, string extractId, CancellationToken cancellationToken)
    {
        var layout = environment.Layout;
        var path = Path.Combine(layout.LandingFeed(feed), fileName);
        if (!File.Exists(path) || LandingScanner.Describe(feed, path).ExtractId != extractId)
        {
            Forget(feed, extractId);
            var gone = $"{feed}/{fileName} no longer holds extract {extractId} (removed or replaced since the scan): nothing staged; the next scan picks up what is there now.";
            logger.LogWarning("{Message}", gone);
            return gone;
        }

        var (provider, period) = LandingScanner.ParseName(feed, fileName);
        var extract = new LandedExtract(feed, provider, period, path, extractId);
        using var writing = environment.Writing("stage");
        var staged = environment.Pipeline(logger, "stage").Stage([extract], cancellationToken: cancellationToken);
        var report = staged.Reports[0];
        var superseded = staged.Superseded;
        if (report.Status == StagingReport.Failed)
        {
            throw new ExtractRejectedException($"{feed}/{fileName} (extract {extractId}) was rejected: {report.Error} Fix the file and drop it again; the report is {layout.StagingReport(feed, extractId)}.");
        }

        return $"{report.Status}: {feed}/{fileName} (extract {extractId}) read {report.RowsRead}, staged {report.RowsStaged}, quarantined {report.RowsQuarantined} rows in {report.Seconds:0.0} s."
            + string.Concat(superseded.Select(e => $" It supersedes {e.Feed}/{e.FileName} (extract {e.ExtractId}), delivered earlier for {e.Provider} {e.Period}."));
    }

    private void Forget(string feed, string extractId)
    {
        using var connection = environment.Storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.RemoveFromSet(JobEnvironment.EnqueuedSet, feed + "/" + extractId);
        transaction.RemoveFromSet(JobEnvironment.PendingSet, feed + "/" + extractId);
        transaction.Commit();
    }
}
