using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Scheduled reports (measures, cohorts, demand) from the current snapshot, disclosure-controlled.
/// PLACEHOLDER: scheduled reports are a later issue; this job only says so.
/// </summary>
public sealed class ReportsJob(JobEnvironment environment)
{
    [DisplayName("Scheduled reports (placeholder)")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var message = $"Placeholder: scheduled reports are not implemented yet (a later issue adds them); nothing was done. Current snapshot: {environment.Layout.CurrentSnapshotId ?? "none"}.";
        environment.Loggers.CreateLogger<ReportsJob>().LogInformation("{Message}", message);
        return message;
    }
}
