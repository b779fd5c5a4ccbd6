using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using LinkedDataset.Jobs.Hosting.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// Builds what <c>ldp serve</c> runs: the Hangfire storage, a Hangfire server running the pipeline's
/// jobs, the recurring schedules, and (unless a worker) the dashboard on Kestrel.
/// </summary>
public static class ServeHost
{
    /// <summary>Where the dashboard lives; <c>/</c> redirects to it.</summary>
    public const string DashboardPath = "/hangfire";

    public static JobStorage CreateStorage(ServeSettings settings)
    {
        if (settings.Storage == StorageKind.InMemory)
        {
            return new InMemoryStorage();
        }

        var options = new PostgreSqlStorageOptions
        {
            SchemaName = settings.Postgres.Schema,
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = settings.Postgres.ResolvedInvisibilityTimeout,
            DistributedLockTimeout = settings.Postgres.ResolvedLockTimeout,
            QueuePollInterval = settings.Postgres.ResolvedPollInterval,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(settings.Connection!, options), options);
    }

    /// <summary>The Hangfire client, server and jobs, on <paramref name="storage"/> (not on Hangfire's static storage, so several hosts can live in one process).</summary>
    public static void AddPipelineJobs(IServiceCollection services, ServeSettings settings, JobStorage storage)
    {
        services.AddSingleton(settings);
        services.AddSingleton(storage);
        services.AddSingleton<JobEnvironment>();
        services.AddTransient<ScanLandingJob>();
        services.AddTransient<StageExtractJob>();
        services.AddTransient<PublishSnapshotJob>();
        services.AddTransient<RebuildMartsJob>();
        services.AddTransient<DataQualityJob>();
        services.AddTransient<ReportsJob>();
        services.AddHangfire((provider, configuration) => configuration
            .UseLogProvider(new HangfireLogBridge(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer((_, options) =>
        {
            options.WorkerCount = settings.Workers;
            options.ShutdownTimeout = TimeSpan.FromSeconds(30);
            options.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        }, storage);
        services.AddHostedService(provider => new RecurringJobRegistration(provider.GetRequiredService<IRecurringJobManager>(), settings, provider.GetRequiredService<ILoggerFactory>()));
    }

    /// <summary>A process running jobs only (<c>ldp serve --worker</c>).</summary>
    public static IHost BuildWorker(ServeSettings settings, JobStorage storage, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateApplicationBuilder();
        ConfigureLogging(builder.Logging, logging);
        AddPipelineJobs(builder.Services, settings, storage);
        return builder.Build();
    }

    /// <summary>Jobs plus the dashboard on <c>http://Bind:Port</c>; <paramref name="configureWebHost"/> lets tests swap the server.</summary>
    public static WebApplication BuildServer(ServeSettings settings, JobStorage storage, Action<ILoggingBuilder>? logging = null, Action<IWebHostBuilder>? configureWebHost = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, logging);
        builder.WebHost.UseUrls($"http://{(settings.Bind.Contains(':', StringComparison.Ordinal) ? $"[{settings.Bind}]" : settings.Bind)}:{settings.Port}");
        configureWebHost?.Invoke(builder.WebHost);
        AddPipelineJobs(builder.Services, settings, storage);

        var app = builder.Build();
        var access = new DashboardAccess(settings.Dashboard, settings.DashboardAllowsLoopbackWithoutAuth);
        app.Use((http, next) => access.Guard(http, () => next(http)));
        app.MapGet("/", () => Results.Redirect(DashboardPath));

        // For a load balancer or a script: the server is up and answering (says nothing of the jobs).
        app.MapGet("/health", () => Results.Text("ok"));
        ReportPages.Map(app, settings.Layout);
        app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            DashboardTitle = "LinkedDataset jobs",
            Authorization = [access],
            IsReadOnlyFunc = _ => !settings.Dashboard.Writable,
            DisplayStorageConnectionString = false,
        }, storage);
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder builder, Action<ILoggingBuilder>? logging)
    {
        builder.ClearProviders();
        builder.AddFilter("Hangfire", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        if (logging is null)
        {
            builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }
        else
        {
            logging(builder);
        }
    }
}
