using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// Monthly: the data-quality matrix of the current snapshot (provider × feed × month: received or
/// missing, volume against the provider's history, completeness, codes, costs, duplicates,
/// rejections, link rate), re-derived under schemas/dq_thresholds.yaml and written to
/// quality/&lt;snapshot id&gt;/ (as <c>ldp dq</c> does). Idempotent: same snapshot and thresholds, same files.
/// </summary>
public sealed class DataQualityJob(JobEnvironment environment)
{
    [DisplayName("Data-quality matrix")]
    [AutomaticRetry(Attempts = 3)]
    public string Run(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var layout = environment.Layout;
        if (layout.CurrentSnapshotId is null)
        {
            return "No snapshot has been published yet; nothing to assess.";
        }

        var logger = environment.Loggers.CreateLogger<DataQualityJob>();
        using var writing = environment.Writing("data quality");
        var (matrix, files) = environment.Pipeline(logger, "data quality").AssessQuality();
        var message = $"Data-quality matrix of {matrix.SnapshotId}: {matrix.Cells.Count} provider-months, {matrix.Flagged.Count()} flagged; written to {files.Html}.";
        logger.LogInformation("{Message}", message);
        return message;
    }
}
