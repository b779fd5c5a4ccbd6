using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Monthly: the data-quality matrix (provider × month: delivered, rows, quarantine rate, link rate).
/// PLACEHOLDER: the matrix is a later issue; this job only says so.
/// </summary>
public sealed class DataQualityJob(JobEnvironment environment)
{
    [DisplayName("Data-quality matrix (placeholder)")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var message = "Placeholder: the data-quality matrix is not implemented yet (a later issue adds it); nothing was done. Staging reports per extract are in staging/<feed>/<extract id>.json meanwhile.";
        environment.Loggers.CreateLogger<DataQualityJob>().LogInformation("{Message}", message);
        return message;
    }
}
