using System.Globalization;
using System.Net;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Configuration;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>Which Hangfire storage <c>ldp serve</c> uses.</summary>
public enum StorageKind
{
    /// <summary>Hangfire.InMemory: embedded, lives and dies with the process.</summary>
    InMemory,

    /// <summary>Hangfire.PostgreSql: survives restarts and is shared by every worker.</summary>
    Postgres,
}

/// <summary>
/// Cron expressions of the recurring jobs; "off" (or empty) removes a recurring job. The reports job
/// is off by default: it produces no reports yet, and a monthly "Succeeded" that did nothing would mislead.
/// </summary>
public sealed record Schedules(
    string ScanLanding = "*/5 * * * *",
    string Publish = "0 2 * * *",
    string DataQuality = "0 6 1 * *",
    string Reports = "off");

/// <summary>Who may use the dashboard from a non-loopback address, and whether it may change jobs.</summary>
public sealed record DashboardSettings(string? User = null, string? Password = null, string? Token = null, bool Writable = false)
{
    /// <summary>True when some credential is configured, so a remote request can be let in.</summary>
    public bool HasCredentials => (!string.IsNullOrEmpty(User) && !string.IsNullOrEmpty(Password)) || !string.IsNullOrEmpty(Token);
}

/// <summary>Hangfire.PostgreSql tuning that matters for scale-out.</summary>
public sealed record PostgresSettings(
    string Schema = "hangfire",
    TimeSpan? InvisibilityTimeout = null,
    TimeSpan? LockTimeout = null,
    TimeSpan? PollInterval = null)
{
    /// <summary>How long a job fetched by a worker that died stays invisible before another worker takes it.</summary>
    public TimeSpan ResolvedInvisibilityTimeout => InvisibilityTimeout ?? TimeSpan.FromMinutes(5);

    /// <summary>How long a distributed lock held by a dead process blocks others (also the longest a live holder is trusted).</summary>
    public TimeSpan ResolvedLockTimeout => LockTimeout ?? TimeSpan.FromMinutes(30);

    public TimeSpan ResolvedPollInterval => PollInterval ?? TimeSpan.FromSeconds(5);
}

/// <summary>
/// Settings of <c>ldp serve</c>, read from appsettings.json, then environment variables prefixed
/// <c>LDP_</c> (<c>__</c> separates sections, e.g. <c>LDP_SCHEDULES__SCANLANDING</c>), then
/// command-line options; later sources win.
/// </summary>
public sealed record ServeSettings
{
    public string Data { get; init; } = "data";

    /// <summary>Landing folder; default <c>&lt;Data&gt;/landing</c>.</summary>
    public string? Landing { get; init; }

    public string? KeyFile { get; init; }

    public StorageKind Storage { get; init; } = StorageKind.InMemory;

    /// <summary>PostgreSQL connection string, needed when <see cref="Storage"/> is Postgres.</summary>
    public string? Connection { get; init; }

    public string Bind { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5080;

    /// <summary>A worker runs jobs without the dashboard (for scale-out machines).</summary>
    public bool Worker { get; init; }

    /// <summary>Jobs run at once by this process.</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    public int DuckDbThreads { get; init; } = 2;

    public string DuckDbMemory { get; init; } = "2GB";

    public Schedules Schedules { get; init; } = new();

    public DashboardSettings Dashboard { get; init; } = new();

    public PostgresSettings Postgres { get; init; } = new();

    public DuckDbLimits DuckDbLimits => new(DuckDbThreads, DuckDbMemory);

    /// <summary>The dataset folder's layout, with landing moved when <see cref="Landing"/> is set.</summary>
    public DatasetLayout Layout => new(Path.GetFullPath(Data), Landing is { Length: > 0 } l ? Path.GetFullPath(l) : null);

    /// <summary>Reads the settings from configuration, with clear messages for values that do not parse.</summary>
    public static ServeSettings From(IConfiguration configuration)
    {
        var defaults = new ServeSettings();
        var schedules = configuration.GetSection("Schedules");
        var dashboard = configuration.GetSection("Dashboard");
        var postgres = configuration.GetSection("Postgres");
        var settings = new ServeSettings
        {
            Data = configuration["Data"] is { Length: > 0 } data ? data : defaults.Data,
            Landing = configuration["Landing"] is { Length: > 0 } landing ? landing : null,
            KeyFile = configuration["KeyFile"] is { Length: > 0 } key ? key : null,
            Storage = ParseStorage(configuration["Storage"]),
            Connection = configuration["Connection"] is { Length: > 0 } c ? c : null,
            Bind = configuration["Bind"] is { Length: > 0 } bind ? bind : defaults.Bind,
            Port = Int(configuration, "Port", defaults.Port),
            Worker = Bool(configuration, "Worker", false),
            Workers = Int(configuration, "Workers", 0) is var workers && workers > 0 ? workers : defaults.Workers,
            DuckDbThreads = Int(configuration, "DuckDbThreads", defaults.DuckDbThreads),
            DuckDbMemory = configuration["DuckDbMemory"] is { Length: > 0 } memory ? memory : defaults.DuckDbMemory,
            Schedules = new Schedules(
                schedules["ScanLanding"] ?? defaults.Schedules.ScanLanding,
                schedules["Publish"] ?? defaults.Schedules.Publish,
                schedules["DataQuality"] ?? defaults.Schedules.DataQuality,
                schedules["Reports"] ?? defaults.Schedules.Reports),
            Dashboard = new DashboardSettings(
                dashboard["User"] is { Length: > 0 } user ? user : null,
                dashboard["Password"] is { Length: > 0 } password ? password : null,
                dashboard["Token"] is { Length: > 0 } token ? token : null,
                Bool(dashboard, "Writable", false)),
            Postgres = new PostgresSettings(
                postgres["Schema"] is { Length: > 0 } schema ? schema : "hangfire",
                Duration(postgres, "InvisibilityTimeout"),
                Duration(postgres, "LockTimeout"),
                Duration(postgres, "PollInterval")),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks the combination of settings; throws a <see cref="PipelineException"/> saying what to change.</summary>
    public void Validate()
    {
        if (Storage == StorageKind.Postgres && string.IsNullOrWhiteSpace(Connection))
        {
            throw new PipelineException("Storage is postgres but no connection string is set: give --connection \"Host=...;Database=...;Username=...;Password=...\" or LDP_CONNECTION.");
        }

        if (Workers < 1)
        {
            throw new PipelineException($"Workers is {Workers}: at least 1 job must be able to run.");
        }

        if (DuckDbThreads < 1)
        {
            throw new PipelineException($"DuckDbThreads is {DuckDbThreads}: each job's DuckDB needs at least 1 thread.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new PipelineException($"Port {Port} is not a TCP port (0-65535; 0 picks a free one).");
        }

        if (!Worker && !IsLoopback(Bind) && !Dashboard.HasCredentials)
        {
            throw new PipelineException(
                $"The dashboard would listen on {Bind}, which is not a loopback address, with no authorisation set. Set Dashboard:User and Dashboard:Password (LDP_DASHBOARD__USER, LDP_DASHBOARD__PASSWORD) or Dashboard:Token (LDP_DASHBOARD__TOKEN), or bind to 127.0.0.1.");
        }
    }

    /// <summary>A warning when the jobs this process may run at once would ask DuckDB for more threads than the machine has.</summary>
    public string? CapacityWarning()
    {
        var threads = Workers * DuckDbThreads;
        return threads > Environment.ProcessorCount
            ? $"{Workers} workers × {DuckDbThreads} DuckDB threads = {threads} threads on a machine with {Environment.ProcessorCount} cores: lower Workers or DuckDbThreads so jobs do not starve each other."
            : null;
    }

    public static bool IsLoopback(string address) =>
        address.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    private static StorageKind ParseStorage(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "inmemory" or "in-memory" or "memory" => StorageKind.InMemory,
        "postgres" or "postgresql" => StorageKind.Postgres,
        _ => throw new PipelineException($"Storage '{value}' is not known: use inmemory (the embedded default) or postgres."),
    };

    private static int Int(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new PipelineException($"Setting {key} is '{text}', which is not a whole number.");

    private static bool Bool(IConfiguration configuration, string key, bool fallback) =>
        configuration[key] is not { Length: > 0 } text ? fallback
        : bool.TryParse(text, out var value) ? value
        : throw new PipelineException($"Setting {key} is '{text}': use true or false.");

    private static TimeSpan? Duration(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
        : throw new PipelineException($"Setting Postgres:{key} is '{text}', which is not a positive duration written hh:mm:ss.");
}
