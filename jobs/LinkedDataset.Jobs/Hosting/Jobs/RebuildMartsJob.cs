using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Rebuilds the marts (person_year, costed activity, cohorts) from a published snapshot.
/// PLACEHOLDER: the marts do not exist yet; a later issue fills this in. It only says so.
/// </summary>
public sealed class RebuildMartsJob(JobEnvironment environment)
{
    [DisplayName("Rebuild marts from snapshot {0} (placeholder)")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(string snapshotId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var message = $"Placeholder: rebuilding marts is not implemented yet (a later issue adds person_year, costed activity and cohort tables); nothing was done for snapshot {snapshotId}.";
        environment.Loggers.CreateLogger<RebuildMartsJob>().LogInformation("{Message}", message);
        return message;
    }
}
