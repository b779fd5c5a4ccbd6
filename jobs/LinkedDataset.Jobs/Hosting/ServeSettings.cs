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
/// renders the standard report set of the current snapshot every morning, after the nightly publish.
/// </summary>
public sealed record Schedules(
    string ScanLanding = "*/5 * * * *",
    string Publish = "0 2 * * *",
    string DataQuality = "0 6 1 * *",
    string Reports = "0 7 * * *");

/// <summary>
/// Who may use the dashboard and whether it may change jobs. <paramref name="AllowLoopbackWithoutAuth"/>
/// lets local requests in without credentials (default: on only for the embedded default, in-memory
/// storage with no <paramref name="KnownProxies"/>); <paramref name="KnownProxies"/> are the reverse
/// proxies (IP addresses) whose forwarding headers are believed.
/// </summary>
public sealed record DashboardSettings(
    string? User = null, string? Password = null, string? Token = null, bool Writable = false,
    bool? AllowLoopbackWithoutAuth = null, string[]? KnownProxies = null)
{
    /// <summary>A bearer token shorter than this is refused at start: it could be guessed.</summary>
    public const int MinimumTokenLength = 32;

    /// <summary>True when some credential is configured, so a request can be let in with it.</summary>
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
public sealed partial record ServeSettings
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

    /// <summary>
    /// Whether local requests see the dashboard without credentials: <see cref="DashboardSettings.AllowLoopbackWithoutAuth"/>
    /// when set, else only for the embedded default (in-memory storage, no known proxies).
    /// </summary>
    public bool DashboardAllowsLoopbackWithoutAuth =>
        Dashboard.AllowLoopbackWithoutAuth ?? (Storage == StorageKind.InMemory && Dashboard.KnownProxies is not { Length: > 0 });

    /// <summary>The dataset folder's layout, with landing moved when <see cref="Landing"/> is set.</summary>
    public DatasetLayout Layout => new(Path.GetFullPath(Data), Landing is { Length: > 0 } l ? Path.GetFullPath(l) : null);

    /// <summary>
    /// Binds the settings from configuration (<see cref="ConfigurationBinder"/>) and validates them, so
    /// a bad value stops <c>ldp serve</c> before anything starts, with one line naming the setting.
    /// An empty value means the default (appsettings.json lists every key empty or at its default),
    /// except under <c>Schedules</c>, where empty means off. <c>Workers</c> 0 means half the cores.
    /// </summary>
    public static ServeSettings From(IConfiguration configuration)
    {
        var meaningful = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && (kv.Value.Trim().Length > 0 || kv.Key.StartsWith(nameof(Schedules) + ":", StringComparison.OrdinalIgnoreCase)));
        var values = new ConfigurationBuilder().AddInMemoryCollection(meaningful).Build();
        ServeSettings bound;
        try
        {
            bound = values.Get<ServeSettings>() ?? new ServeSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new PipelineException(DescribeBindingError(e));
        }

        var settings = bound.Workers == 0 ? bound with { Workers = new ServeSettings().Workers } : bound;
        settings.Validate();
        return settings;
    }

    /// <summary>"Setting Port (LDP_PORT) is 'banana', which is not a whole number." from the binder's message.</summary>
    private static string DescribeBindingError(InvalidOperationException e)
    {
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, "value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'");
        if (!match.Success)
        {
            return "Settings could not be read: " + e.Message;
        }

        var key = match.Groups["key"].Value;
        var type = match.Groups["type"].Value;
        var expected = type switch
        {
            _ when type.Contains(nameof(Int32), StringComparison.Ordinal) => "which is not a whole number",
            _ when type.Contains(nameof(Boolean), StringComparison.Ordinal) => "use true or false",
            _ when type.Contains(nameof(TimeSpan), StringComparison.Ordinal) => "which is not a duration written hh:mm:ss",
            _ when type.Contains(nameof(StorageKind), StringComparison.Ordinal) => "use inmemory (the embedded default) or postgres",
            _ => "which is not a " + type,
        };
        return $"Setting {key} ({EnvironmentName(key)}) is '{match.Groups["value"].Value}', {expected}.";
    }

    /// <summary>The environment variable that sets <paramref name="key"/>, e.g. <c>LDP_DASHBOARD__TOKEN</c> for <c>Dashboard:Token</c>.</summary>
    public static string EnvironmentName(string key) => "LDP_" + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Checks each setting and their combination; throws a <see cref="PipelineException"/> naming the setting and saying what to change.</summary>
    public void Validate()
    {
        if (Storage == StorageKind.Postgres && string.IsNullOrWhiteSpace(Connection))
        {
            throw new PipelineException("Storage is postgres but no connection string is set: give --connection \"Host=...;Database=...;Username=...;Password=...\" or LDP_CONNECTION.");
        }

        if (Workers < 1)
        {
            throw new PipelineException($"Setting Workers (LDP_WORKERS, --workers) is {Workers}: at least 1 job must be able to run (0 means half the cores).");
        }

        if (DuckDbThreads < 1)
        {
            throw new PipelineException($"Setting DuckDbThreads (LDP_DUCKDBTHREADS, --duckdb-threads) is {DuckDbThreads}: each job's DuckDB needs at least 1 thread.");
        }

        if (!MemorySize().IsMatch(DuckDbMemory))
        {
            throw new PipelineException($"Setting DuckDbMemory (LDP_DUCKDBMEMORY, --duckdb-memory) is '{DuckDbMemory}', which is not a memory size: write a number and a unit, e.g. 2GB or 512MB.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new PipelineException($"Setting Port (LDP_PORT, --port) is {Port}, which is not a TCP port (0-65535; 0 picks a free one).");
        }

        if (!Bind.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(Bind, out _))
        {
            throw new PipelineException($"Setting Bind (LDP_BIND, --bind) is '{Bind}', which is not an IP address: use 127.0.0.1 (the default), localhost, or the address of one of this machine's interfaces.");
        }

        foreach (var (name, value) in new[] { ("InvisibilityTimeout", Postgres.InvisibilityTimeout), ("LockTimeout", Postgres.LockTimeout), ("PollInterval", Postgres.PollInterval) })
        {
            if (value is { } duration && duration <= TimeSpan.Zero)
            {
                throw new PipelineException($"Setting Postgres:{name} ({EnvironmentName("Postgres:" + name)}) is {duration}, which is not a positive duration written hh:mm:ss.");
            }
        }

        if (Dashboard.Token is { Length: > 0 and < DashboardSettings.MinimumTokenLength } token)
        {
            throw new PipelineException(
                $"Setting Dashboard:Token (LDP_DASHBOARD__TOKEN) has {token.Length} characters: a bearer token needs at least {DashboardSettings.MinimumTokenLength} (e.g. the output of 'openssl rand -hex 32').");
        }

        if (Dashboard.KnownProxies?.FirstOrDefault(p => !IPAddress.TryParse(p, out _)) is { } proxy)
        {
            throw new PipelineException($"Setting Dashboard:KnownProxies (LDP_DASHBOARD__KNOWNPROXIES__0, ...) has '{proxy}', which is not an IP address: list the addresses your reverse proxies connect from, e.g. 127.0.0.1.");
        }

        if (!Worker && !DashboardAllowsLoopbackWithoutAuth && !Dashboard.HasCredentials)
        {
            throw new PipelineException(
                "The dashboard needs credentials for every request here (Dashboard:AllowLoopbackWithoutAuth is off: the default with PostgreSQL storage or known proxies) but none are set. " +
                "Set Dashboard:User and Dashboard:Password (LDP_DASHBOARD__USER, LDP_DASHBOARD__PASSWORD) or Dashboard:Token (LDP_DASHBOARD__TOKEN), or set Dashboard:AllowLoopbackWithoutAuth to true.");
        }

        if (!Worker && !IsLoopback(Bind) && !Dashboard.HasCredentials)
        {
            throw new PipelineException(
                $"The dashboard would listen on {Bind}, which is not a loopback address, with no authorisation set. Set Dashboard:User and Dashboard:Password (LDP_DASHBOARD__USER, LDP_DASHBOARD__PASSWORD) or Dashboard:Token (LDP_DASHBOARD__TOKEN), or bind to 127.0.0.1.");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MemorySize();

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
}
