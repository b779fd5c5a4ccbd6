using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>
/// What every step of a pipeline run needs: the dataset folder, the feed schemas, the key, the
/// command that asked (recorded in the audit log), and how the caller wants a few things done.
/// </summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="Schemas">Feed schemas by feed name.</param>
/// <param name="Key">The pseudonymisation key of this run.</param>
/// <param name="Command">The command recorded in the audit log, e.g. <c>ldp run</c>.</param>
public sealed record PipelineContext(DatasetLayout Layout, IReadOnlyDictionary<string, FeedSchema> Schemas, PseudonymKey Key, string Command)
{
    /// <summary>DuckDB threads and memory per connection.</summary>
    public DuckDbLimits? Limits { get; init; }

    /// <summary>Clock for received times and future-date checks; default the system clock.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Which feeds arrive identifiable or pseudonymised at source; default the shipped configuration.</summary>
    public FeedForms? Forms { get; init; }

    /// <summary>Loggers of the stages.</summary>
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Scores <c>person_year</c> while marts build (the risk model, from the analysis library); none leaves the score empty.</summary>
    public IPersonYearScorer? Scorer { get; init; }

    /// <summary>Data-quality thresholds file; default <c>schemas/dq_thresholds.yaml</c>.</summary>
    public string? DqThresholdsFile { get; init; }

    /// <summary>
    /// How the landing registry is changed (load, change, save). By default directly; <c>ldp serve</c>
    /// wraps it in a distributed lock, since several workers share the file.
    /// </summary>
    public IRegistryWriter? Registry { get; init; }

    /// <summary>True when <see cref="Key"/> is the development key (synthetic data only).</summary>
    public bool DevelopmentKey { get; init; }

    /// <summary>
    /// True when the caller knows the data is synthetic (it generated it); otherwise the folder's own
    /// evidence decides (<see cref="DatasetIdentity.HasSyntheticTruth"/>) the first time the dataset is recorded.
    /// </summary>
    public bool Synthetic { get; init; }

    /// <summary>While <c>ldp rekey</c> moves the dataset to <see cref="Key"/>: the key id it is moving from.</summary>
    public string? RekeyingFrom { get; init; }

    /// <summary>Test hook called at each publishing checkpoint; null in normal runs.</summary>
    public Action<string>? PublishCheckpoint { get; init; }

    internal T UpdateRegistry<T>(Func<LandingRegistry, T> change) =>
        Registry is { } writer ? writer.Update(change) : LandingRegistry.Update(Layout, change);
}
