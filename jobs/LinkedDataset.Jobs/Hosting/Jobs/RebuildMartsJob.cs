using System.ComponentModel;
using Hangfire;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Marts;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Rebuilds the marts (costed activity, person_month, person_year with segments and risk score) of
/// a published snapshot, the same build as <c>ldp marts</c>. Idempotent: a rebuild overwrites the
/// snapshot's marts folder with the same content.
/// </summary>
public sealed class RebuildMartsJob(JobEnvironment environment)
{
    [DisplayName("Rebuild marts from snapshot {0}")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(string snapshotId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = MartsBuilder.Build(new MartsOptions(
            environment.Layout, snapshotId, Limits: environment.Settings.DuckDbLimits, Scorer: new RiskModel(new RiskModelOptions())));
        var message = $"Built marts of snapshot {result.SnapshotId}: " + string.Join(", ", result.Rows.Select(r => $"{r.Key} {r.Value:N0} rows")) + ".";
        environment.Loggers.CreateLogger<RebuildMartsJob>().LogInformation("{Message}", message);
        return message;
    }
}
