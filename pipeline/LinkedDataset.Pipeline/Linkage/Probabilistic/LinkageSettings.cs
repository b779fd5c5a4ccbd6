using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>One equality of a blocking rule: the record's token <paramref name="RecordColumn"/> equals the person's <paramref name="PersonColumn"/>.</summary>
public sealed record BlockingKey(string RecordColumn, string PersonColumn);

/// <summary>
/// A blocking rule: candidate pairs are the record and person token sets equal on every key. A rule
/// with a <paramref name="Cap"/> skips blocks holding more than that many person token sets (a
/// common name in a common year), so the pairs it makes stay bounded; how many records that
/// affected is reported.
/// </summary>
/// <param name="Name">Short name, shown in the report.</param>
/// <param name="On">The equalities, all required.</param>
/// <param name="Fixes">Comparisons the rule constrains; EM does not estimate them from this rule's pairs.</param>
/// <param name="Cap">Largest block (person token sets sharing the key) the rule pairs with; null for no cap.</param>
public sealed record BlockingRule(string Name, IReadOnlyList<BlockingKey> On, IReadOnlyList<string> Fixes, int? Cap = null)
{
    /// <summary>A rule of plain equalities, each column on both sides (<c>dob</c>, <c>postcode</c> …).</summary>
    public static BlockingRule Equal(string name, IReadOnlyList<string> columns, IReadOnlyList<string> fixes, int? cap = null) =>
        new(name, columns.Select(c => new BlockingKey(c, c)).ToList(), fixes, cap);

    /// <summary>The join condition on <c>r</c> and <c>p</c>.</summary>
    public string Sql => string.Join(" AND ", On.Select(k => $"r.{k.RecordColumn} = p.{k.PersonColumn}"));
}

/// <summary>
/// Settings of the probabilistic linkage, from <c>schemas/linkage/probabilistic.yaml</c>: blocking
/// rules of the first pass and of the looser second pass over records the first left provisional,
/// decision thresholds on the match probability, EM and sampling parameters.
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

    /// <summary>Rules of the second, looser pass (records left provisional by the first pass only); none by default.</summary>
    public IReadOnlyList<BlockingRule> SecondPassRules { get; init; } = [];

    /// <summary>The shipped settings, read once per process.</summary>
    public static LinkageSettings Configured => Shipped.Value;

    /// <summary>Reads <paramref name="path"/> (default <c>schemas/linkage/probabilistic.yaml</c>) and checks it.</summary>
    public static LinkageSettings Load(string? path = null)
    {
        path ??= Path.Combine(ProjectPaths.SchemasRoot, "linkage", FileName);
        var file = Yaml.Load<SettingsFile>(path);
        var settings = new LinkageSettings(
            Rules(file.BlockingRules),
            file.Thresholds?.Upper ?? 0.99,
            file.Thresholds?.Lower ?? 0.8,
            file.AmbiguityMarginBits ?? 3,
            file.Em?.MaxIterations ?? 100,
            file.Em?.Tolerance ?? 1e-6,
            file.USamplePeople ?? 2000,
            file.TfMinimumU ?? 1e-5)
        {
            SecondPassRules = Rules(file.SecondPassRules),
        };
        settings.Validate(path);
        return settings;
    }

    /// <summary>Throws a <see cref="PipelineException"/> saying what is wrong and what is allowed.</summary>
    public void Validate(string source = "linkage settings")
    {
        if (BlockingRules.Count is 0 or > 30 || SecondPassRules.Count > 30)
        {
            throw new PipelineException($"{source}: {BlockingRules.Count} blocking rules and {SecondPassRules.Count} second-pass rules; give 1 to 30 blocking rules and at most 30 second-pass rules.");
        }

        foreach (var rule in BlockingRules.Concat(SecondPassRules))
        {
            if (string.IsNullOrWhiteSpace(rule.Name) || rule.On.Count == 0)
            {
                throw new PipelineException($"{source}: blocking rule '{rule.Name}' needs a name and at least one token in 'on'.");
            }

            var badColumns = rule.On.SelectMany(k => new[] { k.RecordColumn, k.PersonColumn }).Where(c => !Comparisons.TokenColumns.Contains(c)).ToList();
            if (badColumns.Count > 0)
            {
                throw new PipelineException($"{source}: blocking rule '{rule.Name}' uses unknown token(s) {string.Join(", ", badColumns)}; allowed: {string.Join(", ", Comparisons.TokenColumns)}.");
            }

            var unknown = rule.Fixes.Where(f => !Comparisons.All.Any(c => c.Name == f)).ToList();
            if (unknown.Count > 0)
            {
                throw new PipelineException($"{source}: blocking rule '{rule.Name}' fixes unknown comparisons {string.Join(", ", unknown)}; allowed: {string.Join(", ", Comparisons.All.Select(c => c.Name))}.");
            }

            if (rule.Cap is < 1)
            {
                throw new PipelineException($"{source}: blocking rule '{rule.Name}' has cap {rule.Cap}; a cap is at least 1 (or leave it out for none).");
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

    /// <summary><c>on</c> entries are a token (<c>dob</c>: the same on both sides) or <c>record_token=person_token</c> (<c>given_bloom=family_bloom</c>).</summary>
    private static List<BlockingRule> Rules(List<RuleFile>? rules) =>
        (rules ?? []).Select(r => new BlockingRule(
            r.Name ?? "",
            (r.On ?? []).Select(o => o.Split('=', 2, StringSplitOptions.TrimEntries) is [var left, var right] ? new BlockingKey(left, right) : new BlockingKey(o.Trim(), o.Trim())).ToList(),
            r.Fixes ?? [],
            r.Cap)).ToList();

    private sealed class SettingsFile
    {
        public List<RuleFile>? BlockingRules { get; set; }
        public List<RuleFile>? SecondPassRules { get; set; }
        public ThresholdFile? Thresholds { get; set; }
        public double? AmbiguityMarginBits { get; set; }
        public EmFile? Em { get; set; }
        public int? USamplePeople { get; set; }
        public double? TfMinimumU { get; set; }
    }

    private sealed class RuleFile
    {
        public string? Name { get; set; }
        public List<string>? On { get; set; }
        public List<string>? Fixes { get; set; }
        public int? Cap { get; set; }
    }

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
