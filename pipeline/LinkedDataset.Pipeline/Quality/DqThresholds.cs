using LinkedDataset.Pipeline.Common;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LinkedDataset.Pipeline.Quality;

/// <summary>Volume check settings: see <c>schemas/dq_thresholds.yaml</c>.</summary>
public sealed record VolumeThresholds(double RobustZ = 4.0, double MinRelativeChange = 0.3, int MinHistoryMonths = 3, double MinExpectedRows = 10);

/// <summary>A column that carries a cost and the rows that should have one.</summary>
public sealed record CostField(string Column, string? When);

/// <summary>Thresholds of the data-quality matrix, read from <c>schemas/dq_thresholds.yaml</c> (or another file).</summary>
public sealed record DqThresholds(
    VolumeThresholds Volume,
    double CompletenessMin,
    double CodeValidityMin,
    double DuplicateRateMax,
    double RejectionRateMax,
    double LinkRateMin,
    double CostPresentMin,
    double RateZ,
    IReadOnlyDictionary<string, IReadOnlyList<string>> KeyFields,
    IReadOnlyDictionary<string, CostField> CostFields)
{
    public static string DefaultPath => Path.Combine(ProjectPaths.SchemasRoot, "dq_thresholds.yaml");

    public IReadOnlyList<string> KeyFieldsOf(string feed) =>
        KeyFields.TryGetValue(feed, out var own) ? own : KeyFields.TryGetValue("default", out var all) ? all : [];

    public static DqThresholds Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            throw new PipelineException($"Data-quality thresholds file not found: {path}.");
        }

        ThresholdsFile file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<ThresholdsFile>(File.ReadAllText(path)) ?? new ThresholdsFile();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PipelineException($"{path}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }

        var v = file.Volume ?? new VolumeFile();
        var result = new DqThresholds(
            new VolumeThresholds(v.RobustZ ?? 4.0, v.MinRelativeChange ?? 0.3, v.MinHistoryMonths ?? 3, v.MinExpectedRows ?? 10),
            file.CompletenessMin ?? 0.9, file.CodeValidityMin ?? 0.98, file.DuplicateRateMax ?? 0.05, file.RejectionRateMax ?? 0.05,
            file.LinkRateMin ?? 0.85, file.CostPresentMin ?? 0.9, file.RateZ ?? 3.0,
            (file.KeyFields ?? []).ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Value),
            (file.CostFields ?? []).ToDictionary(k => k.Key, k => new CostField(k.Value.Column ?? throw new PipelineException($"{path}: cost_fields.{k.Key} needs a column."), k.Value.When)));
        foreach (var (name, value) in new[] { ("completeness_min", result.CompletenessMin), ("code_validity_min", result.CodeValidityMin), ("duplicate_rate_max", result.DuplicateRateMax), ("rejection_rate_max", result.RejectionRateMax), ("link_rate_min", result.LinkRateMin), ("cost_present_min", result.CostPresentMin) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new PipelineException($"{path}: {name} is {value}; allowed 0 to 1 (a share of rows).");
            }
        }

        return result;
    }

    private sealed class ThresholdsFile
    {
        public VolumeFile? Volume { get; set; }
        public double? CompletenessMin { get; set; }
        public double? CodeValidityMin { get; set; }
        public double? DuplicateRateMax { get; set; }
        public double? RejectionRateMax { get; set; }
        public double? LinkRateMin { get; set; }
        public double? CostPresentMin { get; set; }
        public double? RateZ { get; set; }
        public Dictionary<string, List<string>>? KeyFields { get; set; }
        public Dictionary<string, CostFile>? CostFields { get; set; }
    }

    private sealed class VolumeFile
    {
        public double? RobustZ { get; set; }
        public double? MinRelativeChange { get; set; }
        public int? MinHistoryMonths { get; set; }
        public double? MinExpectedRows { get; set; }
    }

    private sealed class CostFile
    {
        public string? Column { get; set; }
        public string? When { get; set; }
    }
}
