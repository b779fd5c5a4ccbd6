using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// Reads an evaluation spec YAML file into an <see cref="EvaluationSpec"/> with the shared
/// <see cref="Yaml"/> loader (errors name the file, line and field), then checks every name and number.
/// </summary>
public static class EvaluationSpecFile
{
    /// <summary>Loads and validates <paramref name="path"/>; anything not given keeps its default.</summary>
    public static EvaluationSpec Load(string path)
    {
        // The shared loader reports a missing file, bad YAML, an unknown field (with the allowed ones) or a
        // value of the wrong type with the file, line and field.
        var file = Yaml.Load<SpecYaml>(path) ?? new SpecYaml();

        var d = new EvaluationSpec();
        var w = d.Windows;
        var m = d.Money;
        try
        {
            var spec = d with
            {
                Name = file.Name ?? d.Name,
                Programme = file.Intervention?.Programme ?? d.Programme,
                Index = file.Intervention?.Index ?? d.Index,
                IndexFrom = file.Intervention?.IndexFrom ?? d.IndexFrom,
                IndexTo = file.Intervention?.IndexTo ?? d.IndexTo,
                MinAge = file.ComparisonPool?.MinAge ?? d.MinAge,
                MaxAge = file.ComparisonPool?.MaxAge ?? d.MaxAge,
                PoolPerTreated = file.ComparisonPool?.PerTreated ?? d.PoolPerTreated,
                Windows = file.Windows is not { } fw ? w : new EventWindows(
                    fw.PreFrom ?? w.PreFrom, fw.PreTo ?? w.PreTo, fw.PostFrom ?? w.PostFrom, fw.PostTo ?? w.PostTo, fw.NaivePreFrom ?? w.NaivePreFrom, fw.NaivePreTo ?? w.NaivePreTo),
                Covariates = file.Covariates ?? d.Covariates,
                Outcomes = file.Outcomes ?? d.Outcomes,
                NegativeControl = file.NegativeControl is null ? d.NegativeControl : file.NegativeControl is "" or "none" ? null : file.NegativeControl,
                Matching = file.Matching is not { } fm ? d.Matching : new MatchingOptions(fm.Ratio ?? d.Matching.Ratio, fm.CaliperSd ?? d.Matching.CaliperSd, fm.Replacement ?? d.Matching.Replacement),
                ExactOn = file.Matching?.Exact ?? d.ExactOn,
                PropensityLambda = file.Propensity?.Lambda ?? d.PropensityLambda,
                PropensityMaxRows = file.Propensity?.MaxRows ?? d.PropensityMaxRows,
                Replicates = file.Bootstrap?.Replicates ?? d.Replicates,
                Seed = file.Bootstrap?.Seed ?? d.Seed,
                MinimumEquipoise = file.MinimumEquipoise ?? d.MinimumEquipoise,
                Money = file.Money is not { } fmo ? m : new MoneyAssumptions(
                    fmo.ProgrammeCostPerParticipant ?? m.ProgrammeCostPerParticipant, fmo.HorizonYears ?? m.HorizonYears, fmo.DiscountRate ?? m.DiscountRate,
                    fmo.Deadweight ?? m.Deadweight, fmo.Attribution ?? m.Attribution, fmo.Displacement ?? m.Displacement, fmo.DropOff ?? m.DropOff, fmo.PriceYear ?? m.PriceYear),
            };
            Validate(spec);
            return spec;
        }
        catch (ArgumentException e)
        {
            throw new PipelineException($"{path}: {e.Message}");
        }
    }

    /// <summary>Checks every name and number; throws <see cref="ArgumentException"/> naming the field.</summary>
    public static void Validate(EvaluationSpec spec)
    {
        if (spec.Index is not ("start_date" or "referral_date"))
        {
            throw new ArgumentException($"intervention.index is '{spec.Index}'; allowed start_date or referral_date.");
        }

        if (string.IsNullOrWhiteSpace(spec.Programme) || spec.Programme.Length > 20 || !spec.Programme.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"intervention.programme is '{spec.Programme}'; give the programme code of the intervention feed (letters and digits, e.g. SP).");
        }

        spec.Windows.Validate();
        spec.Matching.Validate();
        spec.Money.Validate();
        foreach (var o in spec.Outcomes)
        {
            OutcomeCatalogue.Get(o, "outcomes");
        }

        if (spec.Outcomes.Count == 0)
        {
            throw new ArgumentException("outcomes is empty; name at least one (e.g. ae_attendances).");
        }

        if (spec.NegativeControl is { } nc)
        {
            OutcomeCatalogue.Get(nc, "negative_control");
        }

        foreach (var c in spec.Covariates)
        {
            CovariateCatalogue.Get(c, "covariates");
        }

        foreach (var e in spec.ExactOn)
        {
            if (e is not ("sex" or "age_band"))
            {
                throw new ArgumentException($"matching.exact names '{e}'; allowed sex and age_band.");
            }
        }

        if (spec.MinAge is < 0 or > 120 || spec.MaxAge is < 0 or > 120)
        {
            throw new ArgumentException("comparison_pool.min_age and max_age are ages from 0 to 120.");
        }

        if (spec.Replicates is < 0 or > 10_000)
        {
            throw new ArgumentException($"bootstrap.replicates is {spec.Replicates}; allowed 0 to 10,000.");
        }

        if (spec.PoolPerTreated < 0 || spec.PropensityMaxRows < 100 || !(spec.PropensityLambda >= 0))
        {
            throw new ArgumentException("comparison_pool.per_treated must be 0 or more, propensity.max_rows at least 100 and propensity.lambda 0 or more.");
        }
    }

    internal sealed class SpecYaml
    {
        public string? Name { get; set; }
        public InterventionYaml? Intervention { get; set; }
        public PoolYaml? ComparisonPool { get; set; }
        public WindowsYaml? Windows { get; set; }
        public List<string>? Covariates { get; set; }
        public List<string>? Outcomes { get; set; }
        public string? NegativeControl { get; set; }
        public MatchingYaml? Matching { get; set; }
        public PropensityYaml? Propensity { get; set; }
        public BootstrapYaml? Bootstrap { get; set; }
        public double? MinimumEquipoise { get; set; }
        public MoneyYaml? Money { get; set; }
    }

    internal sealed class InterventionYaml
    {
        public string? Programme { get; set; }
        public string? Index { get; set; }
        public string? IndexFrom { get; set; }
        public string? IndexTo { get; set; }
    }

    internal sealed class PoolYaml
    {
        public int? MinAge { get; set; }
        public int? MaxAge { get; set; }
        public int? PerTreated { get; set; }
    }

    internal sealed class WindowsYaml
    {
        public int? PreFrom { get; set; }
        public int? PreTo { get; set; }
        public int? PostFrom { get; set; }
        public int? PostTo { get; set; }
        public int? NaivePreFrom { get; set; }
        public int? NaivePreTo { get; set; }
    }

    internal sealed class MatchingYaml
    {
        public int? Ratio { get; set; }
        public double? CaliperSd { get; set; }
        public bool? Replacement { get; set; }
        public List<string>? Exact { get; set; }
    }

    internal sealed class PropensityYaml
    {
        public double? Lambda { get; set; }
        public int? MaxRows { get; set; }
    }

    internal sealed class BootstrapYaml
    {
        public int? Replicates { get; set; }
        public int? Seed { get; set; }
    }

    internal sealed class MoneyYaml
    {
        public double? ProgrammeCostPerParticipant { get; set; }
        public int? HorizonYears { get; set; }
        public double? DiscountRate { get; set; }
        public double? Deadweight { get; set; }
        public double? Attribution { get; set; }
        public double? Displacement { get; set; }
        public double? DropOff { get; set; }
        public string? PriceYear { get; set; }
    }
}
