using Hangfire;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Orchestration;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// What every job needs besides its arguments: the settings of this process, the feed schemas,
/// the Hangfire storage (for locks and bookkeeping sets) and loggers. One per process.
/// </summary>
public sealed class JobEnvironment(ServeSettings settings, JobStorage storage, ILoggerFactory loggers) : IRegistryWriter
{
    /// <summary>Set of <c>feed/extract id</c> for which a staging job has been enqueued.</summary>
    public const string EnqueuedSet = "ldp:staging-enqueued";

    /// <summary>
    /// Set of <c>feed/extract id</c> that a scan found new: written for the whole batch before any
    /// staging job is enqueued, so a publish continuation never mistakes a half-enqueued batch for a
    /// finished one. An item stops being pending when its staging report exists.
    /// </summary>
    public const string PendingSet = "ldp:staging-pending";

    /// <summary>Hash of landing file (relative path) → <c>length|last write ticks|extract id</c>, so a scan hashes only new or changed files.</summary>
    public const string LandingHashes = "ldp:landing-hashes";

    /// <summary>The lock that keeps publishes one at a time, across every worker sharing the storage.</summary>
    public const string PublishLock = "ldp:publish";

    /// <summary>The lock around every read-modify-write of the landing registry file, across every worker sharing the dataset folder.</summary>
    public const string RegistryLock = "ldp:landing-registry";

    private readonly Lazy<IReadOnlyDictionary<string, FeedSchema>> schemas = new(() => FeedSchemaLoader.LoadAll());

    public ServeSettings Settings { get; } = settings;

    public JobStorage Storage { get; } = storage;

    public ILoggerFactory Loggers { get; } = loggers;

    public DatasetLayout Layout => Settings.Layout;

    public IReadOnlyDictionary<string, FeedSchema> Schemas => schemas.Value;

    /// <summary>Changes the landing registry (<see cref="LandingRegistry.Update{T}"/>) under <see cref="RegistryLock"/>.</summary>
    public T UpdateRegistry<T>(Func<LandingRegistry, T> change)
    {
        using var connection = Storage.GetConnection();
        using var registryLock = connection.AcquireDistributedLock(RegistryLock, TimeSpan.FromMinutes(5));
        return LandingRegistry.Update(Layout, change);
    }

    /// <inheritdoc/>
    T IRegistryWriter.Update<T>(Func<LandingRegistry, T> change) => UpdateRegistry(change);

    /// <summary>
    /// The pipeline's steps as this worker runs them: its key, DuckDB limits and loggers, the risk
    /// model for marts, and the landing registry changed under <see cref="RegistryLock"/>.
    /// </summary>
    public PipelineRun Pipeline(ILogger logger, string job)
    {
        var key = Key(logger);
        return new(new PipelineContext(Layout, Schemas, key, "ldp serve: " + job)
        {
            Limits = Settings.DuckDbLimits, Loggers = Loggers, Scorer = new RiskModel(new RiskModelOptions()), Registry = this,
            DevelopmentKey = KeySource.IsDevelopmentKey(key),
        });
    }

    /// <summary>
    /// The dataset lock, shared, held by a job around its writes: jobs run beside each other (they
    /// coordinate through Hangfire's locks) but never beside a command such as <c>ldp run</c>, which
    /// holds it alone. A job that cannot get it within <see cref="LockTimeout"/> (30 minutes) fails and Hangfire retries it.
    /// </summary>
    public DatasetLock Writing(string job) => DatasetLock.Acquire(Layout, "ldp serve: " + job, LockMode.Shared, LockTimeout);

    /// <summary>How long a job waits for a command holding the dataset lock before it fails (and Hangfire retries it).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The pseudonymisation key, resolved per job so a rotated key file is picked up without a restart.</summary>
    public PseudonymKey Key(ILogger logger) => KeySource.Resolve(Settings.KeyFile, warning => logger.LogWarning("{Warning}", warning));
}
