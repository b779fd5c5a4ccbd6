using System.ComponentModel;
using Hangfire;
using LinkedDataset.Analysis.Reports;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Scheduled reports: renders the standard report set (<see cref="StandardReports"/>) of the current
/// snapshot into <c>reports/&lt;snapshot id&gt;/</c> with an index page, as <c>ldp reports</c> does;
/// <c>ldp serve</c> serves them at <c>/reports</c>. Idempotent: same snapshot, same reports.
/// </summary>
public sealed class ReportsJob(JobEnvironment environment)
{
    [DisplayName("Scheduled reports")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var writing = environment.Writing("reports");
        if (environment.Layout.CurrentSnapshotId is null)
        {
            return "No snapshot has been published yet; no reports to render.";
        }

        var result = ReportSetWriter.Write(new ReportSetOptions(environment.Layout), cancellationToken);
        var failed = result.Failed.ToList();
        var message = $"Reports of {result.SnapshotId}: {result.Reports.Count - failed.Count} of {result.Reports.Count} written to {result.Folder}"
            + (failed.Count > 0 ? $"; not rendered: {string.Join("; ", failed.Select(f => $"{f.FileName} ({f.Error})"))}" : "") + ".";
        environment.Loggers.CreateLogger<ReportsJob>().LogInformation("{Message}", message);
        return message;
    }
}
