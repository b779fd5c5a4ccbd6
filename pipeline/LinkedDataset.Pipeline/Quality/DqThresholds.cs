using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Quality;

/// <summary>Volume check settings: see <c>schemas/dq_thresholds.yaml</c>.</summary>
public sealed record VolumeThresholds(double RobustZ = 4.0, double MinRelativeChange = 0.3, int MinHistoryMonths = 3, double MinExpectedRows = 10);

/// <summary>A column that carries a cost and the rows that should have one.</summary>
public sealed record CostField(string Column, string? When);

/// <summary>
/// Thresholds of the data-quality matrix, read from <c>schemas/dq_thresholds.yaml</c> (or another file)
/// by <see cref="Yaml"/>: a field left out keeps the default below.
/// </summary>
public sealed record DqThresholds(
    VolumeThresholds? Volume = null,
    double CompletenessMin = 0.9,
    double CodeValidityMin = 0.98,
    double DuplicateRateMax = 0.05,
    double RejectionRateMax = 0.05,
    double LinkRateMin = 0.85,
    double CostPresentMin = 0.9,
    double RateZ = 3.0,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? KeyFields = null,
    IReadOnlyDictionary<string, CostField>? CostFields = null)
{
    public static string DefaultPath => Path.Combine(ProjectPaths.SchemasRoot, "dq_thresholds.yaml");

    /// <summary>Volume check settings (defaults when the file has no <c>volume:</c>).</summary>
    public VolumeThresholds Volume { get; init; } = Volume ?? new VolumeThresholds();

    /// <summary>Key fields per feed, with <c>default</c> for feeds not named.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> KeyFields { get; init; } = KeyFields ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Cost-carrying column per feed.</summary>
    public IReadOnlyDictionary<string, CostField> CostFields { get; init; } = CostFields ?? new Dictionary<string, CostField>();

    public IReadOnlyList<string> KeyFieldsOf(string feed) =>
        KeyFields.TryGetValue(feed, out var own) ? own : KeyFields.TryGetValue("default", out var all) ? all : [];

    public static DqThresholds Load(string? path = null)
    {
        path ??= DefaultPath;
        var result = Yaml.Load<DqThresholds>(path);
        foreach (var (name, value) in new[] { ("completeness_min", result.CompletenessMin), ("code_validity_min", result.CodeValidityMin), ("duplicate_rate_max", result.DuplicateRateMax), ("rejection_rate_max", result.RejectionRateMax), ("link_rate_min", result.LinkRateMin), ("cost_present_min", result.CostPresentMin) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new PipelineException($"{path}: {name} is {value}; allowed 0 to 1 (a share of rows).");
            }
        }

        return result;
    }
}
