using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Rebuilds the marts (costed activity, person_month, person_year with segments and risk score) of
/// a published snapshot through the pipeline's marts step, the same build as <c>ldp run</c> and <c>ldp marts</c>. Idempotent: a rebuild overwrites the
/// snapshot's marts folder with the same content.
/// </summary>
public sealed class RebuildMartsJob(JobEnvironment environment)
{
    [DisplayName("Rebuild marts from snapshot {0}")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(string snapshotId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var logger = environment.Loggers.CreateLogger<RebuildMartsJob>();
        using var writing = environment.Writing("marts");
        var result = environment.Pipeline(logger, "marts").BuildMarts(snapshotId);
        var message = $"Built marts of snapshot {result.SnapshotId}: " + string.Join(", ", result.Rows.Select(r => $"{r.Key} {r.Value:N0} rows")) + ".";
        logger.LogInformation("{Message}", message);
        return message;
    }
}
