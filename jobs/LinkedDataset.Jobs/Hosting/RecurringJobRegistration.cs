using Hangfire;
using LinkedDataset.Jobs.Hosting.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// Registers the recurring jobs from <see cref="Schedules"/> when the process starts. Every process
/// sharing a storage registers the same ids, so they should share the schedules; "off" removes one.
/// </summary>
public sealed class RecurringJobRegistration(IRecurringJobManager manager, ServeSettings settings, ILoggerFactory loggers) : IHostedService
{
    public const string ScanLanding = "scan-landing";
    public const string Publish = "publish-nightly";
    public const string DataQuality = "data-quality-monthly";
    public const string Reports = "reports";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<RecurringJobRegistration>();
        var schedules = settings.Schedules;
        Register<ScanLandingJob>(ScanLanding, schedules.ScanLanding, job => job.Run(CancellationToken.None), logger);
        Register<PublishSnapshotJob>(Publish, schedules.Publish, job => job.Run(false, CancellationToken.None), logger);
        Register<DataQualityJob>(DataQuality, schedules.DataQuality, job => job.Run(CancellationToken.None), logger);
        Register<ReportsJob>(Reports, schedules.Reports, job => job.Run(CancellationToken.None), logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static bool IsOff(string cron) => string.IsNullOrWhiteSpace(cron) || cron.Trim().Equals("off", StringComparison.OrdinalIgnoreCase);

    private void Register<T>(string id, string cron, System.Linq.Expressions.Expression<Action<T>> job, ILogger logger)
    {
        if (IsOff(cron))
        {
            manager.RemoveIfExists(id);
            logger.LogInformation("Recurring job {Id} is off.", id);
            return;
        }

        try
        {
            manager.AddOrUpdate(id, job, cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException e)
        {
            throw new LinkedDataset.Pipeline.Common.PipelineException($"Schedule of {id} is '{cron}', which is not a cron expression (e.g. \"*/5 * * * *\", or \"off\"): {e.Message}");
        }

        logger.LogInformation("Recurring job {Id}: {Cron} (UTC).", id, cron);
    }
}
