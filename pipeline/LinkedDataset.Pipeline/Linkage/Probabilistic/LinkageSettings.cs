using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>A blocking rule: a SQL condition on <c>r</c> (record tokens) and <c>p</c> (a person's token set).</summary>
/// <param name="Name">Short name, shown in the report.</param>
/// <param name="Sql">The join condition, e.g. <c>r.dob = p.dob AND r.initial = p.initial</c>.</param>
/// <param name="Fixes">Comparisons the rule constrains; EM does not estimate them from this rule's pairs.</param>
public sealed record BlockingRule(string Name, string Sql, IReadOnlyList<string> Fixes);

/// <summary>
/// Settings of the probabilistic linkage, from <c>schemas/linkage/probabilistic.yaml</c>: blocking
/// rules, decision thresholds on the match probability, EM and sampling parameters.
/// </summary>
public sealed record LinkageSettings(
    IReadOnlyList<BlockingRule> BlockingRules,
    double UpperThreshold,
    double LowerThreshold,
    double AmbiguityMarginBits = 3,
    int EmMaxIterations = 100,
    double EmTolerance = 1e-6,
    int USamplePeople = 2000,
    double TfMinimumU = 1e-5)
{
    public const string FileName = "probabilistic.yaml";

    private static readonly Lazy<LinkageSettings> Shipped = new(() => Load());

    /// <summary>The shipped settings, read once per process.</summary>
    public static LinkageSettings Configured => Shipped.Value;

    /// <summary>Reads <paramref name="path"/> (default <c>schemas/linkage/probabilistic.yaml</c>) and checks it.</summary>
    public static LinkageSettings Load(string? path = null)
    {
        path ??= Path.Combine(ProjectPaths.SchemasRoot, "linkage", FileName);
        var file = Yaml.Load<SettingsFile>(path);
        var settings = new LinkageSettings(
            (file.BlockingRules ?? []).Select(r => new BlockingRule(r.Name, r.Sql, r.Fixes ?? [])).ToList(),
            file.Thresholds?.Upper ?? 0.99,
            file.Thresholds?.Lower ?? 0.8,
            file.AmbiguityMarginBits ?? 3,
            file.Em?.MaxIterations ?? 100,
            file.Em?.Tolerance ?? 1e-6,
            file.USamplePeople ?? 2000,
            file.TfMinimumU ?? 1e-5);
        settings.Validate(path);
        return settings;
    }

    /// <summary>Throws a <see cref="PipelineException"/> saying what is wrong and what is allowed.</summary>
    public void Validate(string source = "linkage settings")
    {
        if (BlockingRules.Count is 0 or > 30)
        {
            throw new PipelineException($"{source}: {BlockingRules.Count} blocking rules; give 1 to 30.");
        }

        foreach (var rule in BlockingRules)
        {
            if (string.IsNullOrWhiteSpace(rule.Name) || string.IsNullOrWhiteSpace(rule.Sql) || rule.Sql.Contains(';', StringComparison.Ordinal))
            {
                throw new PipelineException($"{source}: blocking rule '{rule.Name}' needs a name and one SQL condition (no ';').");
            }

            var unknown = rule.Fixes.Where(f => !Comparisons.All.Any(c => c.Name == f)).ToList();
            if (unknown.Count > 0)
            {
                throw new PipelineException($"{source}: blocking rule '{rule.Name}' fixes unknown comparisons {string.Join(", ", unknown)}; allowed: {string.Join(", ", Comparisons.All.Select(c => c.Name))}.");
            }
        }

        if (!(LowerThreshold is > 0 and < 1) || !(UpperThreshold is > 0 and < 1) || LowerThreshold > UpperThreshold)
        {
            throw new PipelineException($"{source}: thresholds lower {LowerThreshold}, upper {UpperThreshold}; need 0 < lower ≤ upper < 1.");
        }

        if (EmMaxIterations < 1 || USamplePeople < 10 || TfMinimumU is <= 0 or >= 1)
        {
            throw new PipelineException($"{source}: em.max_iterations ≥ 1, u_sample_people ≥ 10 and 0 < tf_minimum_u < 1 are required.");
        }
    }

    private sealed class SettingsFile
    {
        public List<RuleFile>? BlockingRules { get; set; }
        public ThresholdFile? Thresholds { get; set; }
        public double? AmbiguityMarginBits { get; set; }
        public EmFile? Em { get; set; }
        public int? USamplePeople { get; set; }
        public double? TfMinimumU { get; set; }
    }

    private sealed record RuleFile(string Name, string Sql, List<string>? Fixes = null);

    private sealed class ThresholdFile
    {
        public double? Upper { get; set; }
        public double? Lower { get; set; }
    }

    private sealed class EmFile
    {
        public int? MaxIterations { get; set; }
        public double? Tolerance { get; set; }
    }
}
