using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Analysis.Demand;

/// <summary>A scenario read from its file, with the file's SHA-256 for provenance.</summary>
public sealed record LoadedScenario(Scenario Scenario, string Path, string Sha256);

/// <summary>
/// Reads a scenario file (YAML) into a validated <see cref="Scenario"/>. The file is data: every value becomes a
/// typed field; nothing in it is SQL. Anything wrong is a <see cref="PipelineException"/> naming the file, the line
/// and the field.
/// </summary>
public static class ScenarioReader
{
    /// <summary>Values of each split a lever may name.</summary>
    public static readonly IReadOnlyDictionary<BaselineSplit, IReadOnlyList<string>> SplitValues = new Dictionary<BaselineSplit, IReadOnlyList<string>>
    {
        [BaselineSplit.None] = ["all"],
        [BaselineSplit.EfiCategory] = ["fit", "mild", "moderate", "severe"],
        [BaselineSplit.ImdQuintile] = ["1", "2", "3", "4", "5"],
        [BaselineSplit.Segment] = ["end_of_life", "frailty", "complex_chronic", "maternity_infancy", "stable_chronic", "acutely_ill", "healthy"],
    };

    private static readonly Dictionary<string, BaselineSplit> Splits = new()
    {
        ["none"] = BaselineSplit.None, ["efi_category"] = BaselineSplit.EfiCategory, ["imd_quintile"] = BaselineSplit.ImdQuintile, ["segment"] = BaselineSplit.Segment,
    };

    /// <summary>The shipped projection: ONS 2022-based SNPP, migration category variant.</summary>
    public static ProjectionVariant ShippedProjection => new(
        "ONS 2022-based SNPP (migration category variant)",
        [Path.Combine(ProjectPaths.Reference, "population", "snpp2022_kent_medway_males.csv"), Path.Combine(ProjectPaths.Reference, "population", "snpp2022_kent_medway_females.csv")],
        1);

    /// <summary>Reads and validates the scenario at <paramref name="path"/>.</summary>
    /// <exception cref="PipelineException">The file is missing, not YAML, or a field is wrong (file, line and field named).</exception>
    public static LoadedScenario Read(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var file = Yaml.Load<ScenarioFile>(full);
        var text = File.ReadAllText(full, Encoding.UTF8);
        var checker = new Checker(full, new ScenarioLines(text));
        var scenario = checker.Convert(file);
        return new LoadedScenario(scenario, full, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))));
    }

    private sealed class Checker(string path, ScenarioLines lines)
    {
        private PipelineException Fail(string field, string what) => new($"{path}: line {lines.LineOf(field)}, field '{field}' {what}.");

        public Scenario Convert(ScenarioFile f)
        {
            if (f.Horizon is < 2000 or > 2100)
            {
                throw Fail("horizon", $"is {f.Horizon}; give the financial year the horizon starts in, e.g. 2035 for 2035/36");
            }

            var baselineEntry = f.Baseline ?? new BaselineEntry();
            if (!Splits.TryGetValue(baselineEntry.SplitBy, out var split))
            {
                throw Fail("baseline.split_by", $"is '{baselineEntry.SplitBy}'; allowed: {string.Join(", ", Splits.Keys)}");
            }

            if (baselineEntry.Years is < 1 or > 5)
            {
                throw Fail("baseline.years", $"is {baselineEntry.Years}; allowed 1 to 5");
            }

            if (baselineEntry.PoolBelowPersonYears < 0)
            {
                throw Fail("baseline.pool_below_person_years", "must be 0 or more");
            }

            var baseline = new BaselineSpec(baselineEntry.Years, split, baselineEntry.PoolBelowPersonYears);
            var projections = (f.Projections ?? []).Select((p, i) => Projection(p, $"projections[{i}]")).ToList();
            if (projections.Count == 0)
            {
                projections.Add(ShippedProjection);
            }

            HealthyAgeing? ageing = null;
            if (f.HealthyAgeing is { } h)
            {
                var gains = h.LifeExpectancyGainPerYear;
                foreach (var key in gains.Keys.Where(k => k is not ("male" or "female")))
                {
                    throw Fail($"healthy_ageing.life_expectancy_gain_per_year.{key}", "is not a sex; give male and female");
                }

                double Gain(string sex) => gains.TryGetValue(sex, out var g) && g >= 0 && g <= 1
                    ? g
                    : throw Fail($"healthy_ageing.life_expectancy_gain_per_year.{sex}", "needs a number of years gained per year, 0 to 1");
                ageing = new HealthyAgeing(Share(h.Share, "healthy_ageing.share"), Gain("male"), Gain("female"), h.FromAge);
            }

            var prevalence = (f.Prevalence ?? []).Select((p, i) =>
            {
                if (split == BaselineSplit.None)
                {
                    throw Fail($"prevalence[{i}]", "needs baseline.split_by (efi_category, imd_quintile or segment): prevalence moves people between split values");
                }

                var change = Number(p.Change, $"prevalence[{i}].change");
                return change.Lo < -1
                    ? throw Fail($"prevalence[{i}].change", "is below −1 (a change of −1 removes everyone)")
                    : new PrevalenceChange(Cells(p.Segments, p.AgeBands, split, $"prevalence[{i}]"), change);
            }).ToList();
            var avoidance = (f.Avoidance ?? []).Select((a, i) => new Avoidance(
                Setting(a.Setting, $"avoidance[{i}].setting"), Cells(a.Segments, a.AgeBands, split, $"avoidance[{i}]"), Share(a.Share, $"avoidance[{i}].share"))).ToList();
            var shifts = (f.Shifts ?? []).Select((s, i) =>
            {
                var from = Setting(s.From, $"shifts[{i}].from");
                if (s.To.Count == 0)
                {
                    throw Fail($"shifts[{i}].to", "is empty; name at least one setting the activity moves to");
                }

                var to = s.To.Select((t, j) =>
                {
                    var setting = Setting(t.Setting, $"shifts[{i}].to[{j}].setting");
                    return setting == from
                        ? throw Fail($"shifts[{i}].to[{j}].setting", "is the setting the activity moves from")
                        : new ShiftTarget(setting, NonNegative(t.PerUnit, $"shifts[{i}].to[{j}].per_unit"));
                }).ToList();
                return new Shift(from, to, Cells(s.Segments, s.AgeBands, split, $"shifts[{i}]"), Share(s.Share, $"shifts[{i}].share"));
            }).ToList();
            var interventions = (f.Interventions ?? []).Select((v, i) => Intervention(v, split, $"interventions[{i}]")).ToList();
            var index = LinkedDataset.Pipeline.Marts.MartReference.Load().InflationIndex;
            if (f.Costs?.PriceYear is { } year && !index.ContainsKey(year))
            {
                throw Fail("costs.price_year", $"is '{year}'; the inflation index (schemas/reference/unit-costs/inflation_index.csv) has {string.Join(", ", index.Keys)}");
            }

            var costs = new CostSpec(f.Costs?.PriceYear, f.Costs?.RealGrowth is { } g ? Number(g, "costs.real_growth") : Interval.Point(0));
            if (costs.RealGrowth.Lo <= -1 || costs.RealGrowth.Hi > 1)
            {
                throw Fail("costs.real_growth", "must be a yearly growth between −1 and 1 (0.02 = 2 % a year)");
            }

            var capacityEntry = f.Capacity ?? new CapacityEntry();
            if (capacityEntry.BedOccupancy is <= 0 or > 1)
            {
                throw Fail("capacity.bed_occupancy", "must be above 0 and at most 1 (0.92 = 92 %)");
            }

            if (capacityEntry.CareWorkerContactHoursPerWeek <= 0 || capacityEntry.HomeCareHoursPerClientWeek <= 0)
            {
                throw Fail(capacityEntry.CareWorkerContactHoursPerWeek <= 0 ? "capacity.care_worker_contact_hours_per_week" : "capacity.home_care_hours_per_client_week", "must be above 0");
            }

            var mc = f.MonteCarlo ?? new MonteCarloEntry();
            if (mc.Runs is < 0 or > 100_000)
            {
                throw Fail("monte_carlo.runs", $"is {mc.Runs}; allowed 0 to 100000");
            }

            return new Scenario(
                f.Name, f.Description ?? "", f.Horizon, f.Areas ?? [], projections, baseline, ageing, prevalence, avoidance, shifts, interventions, costs,
                new CapacitySpec(capacityEntry.BedOccupancy, capacityEntry.CareWorkerContactHoursPerWeek, capacityEntry.HomeCareHoursPerClientWeek),
                new MonteCarloSpec(mc.Runs, mc.Seed, mc.CountNoise));
        }

        private ProjectionVariant Projection(ProjectionFileEntry p, string field)
        {
            if (!(p.Weight > 0))
            {
                throw Fail($"{field}.weight", "must be above 0");
            }

            var files = p.Files.Select((file, i) =>
            {
                var besideScenario = System.IO.Path.GetFullPath(file, System.IO.Path.GetDirectoryName(path)!);
                var shipped = System.IO.Path.Combine(ProjectPaths.Reference, "population", file);
                return File.Exists(besideScenario) ? besideScenario
                    : File.Exists(shipped) ? shipped
                    : throw Fail($"{field}.files[{i}]", $"names '{file}', which is neither beside the scenario file nor in schemas/reference/population/");
            }).ToList();
            return files.Count == 0 ? throw Fail($"{field}.files", "is empty") : new ProjectionVariant(p.Name, files, p.Weight);
        }

        private InterventionLever Intervention(InterventionEntry v, BaselineSplit split, string field)
        {
            var setting = Setting(v.Setting, $"{field}.setting");
            var cells = Cells(v.Segments, v.AgeBands, split, field);
            var reach = Share(v.Reach, $"{field}.reach");
            if (v.Effect is not null == v.EffectFile is not null)
            {
                throw Fail(field, "needs exactly one of effect (a number or [lo, hi]) and effect_file (an evaluation result)");
            }

            if (v.Effect is { } effect)
            {
                var e = Number(effect, $"{field}.effect");
                return e.Lo < -1 || e.Hi > 1 ? throw Fail($"{field}.effect", "must be a relative reduction between −1 and 1") : new InterventionLever(v.Name, setting, cells, reach, e, "scenario");
            }

            var file = System.IO.Path.GetFullPath(v.EffectFile!, System.IO.Path.GetDirectoryName(path)!);
            var (interval, source) = EvaluationEffect.Read(file, v.EffectOutcome ?? setting, () => Fail($"{field}.effect_file", $"names '{v.EffectFile}', which does not exist"));
            return new InterventionLever(v.Name, setting, cells, reach, interval, source);
        }

        private string Setting(string name, string field) => DemandSetting.Find(name) is { } s
            ? s.Name
            : throw Fail(field, $"is '{name}'; allowed: {string.Join(", ", DemandSetting.All.Select(x => x.Name))}");

        private CellFilter Cells(List<string>? segments, List<string>? bands, BaselineSplit split, string field)
        {
            var allowed = SplitValues[split];
            foreach (var (segment, i) in (segments ?? []).Select((s, i) => (s, i)))
            {
                if (!allowed.Contains(segment))
                {
                    throw Fail($"{field}.segments[{i}]", split == BaselineSplit.None
                        ? $"is '{segment}', but the baseline is not split; set baseline.split_by (efi_category, imd_quintile or segment)"
                        : $"is '{segment}'; baseline.split_by {Splits.First(s => s.Value == split).Key} has {string.Join(", ", allowed)}");
                }
            }

            foreach (var (band, i) in (bands ?? []).Select((b, i) => (b, i)))
            {
                if (!DemandBaseline.AgeBands.Contains(band))
                {
                    throw Fail($"{field}.age_bands[{i}]", $"is '{band}'; allowed: {string.Join(", ", DemandBaseline.AgeBands)}");
                }
            }

            return new CellFilter(segments ?? [], bands ?? []);
        }

        private Interval Share(object value, string field)
        {
            var interval = Number(value, field);
            return interval.Lo < 0 || interval.Hi > 1 ? throw Fail(field, $"is {interval}; a share is between 0 and 1") : interval;
        }

        private Interval NonNegative(object value, string field)
        {
            var interval = Number(value, field);
            return interval.Lo < 0 ? throw Fail(field, $"is {interval}; it must be 0 or more") : interval;
        }

        /// <summary>A number (a point) or a list of two numbers, low first (an 80 % interval).</summary>
        private Interval Number(object? value, string field)
        {
            double Parse(object? v) => v is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d
                : throw Fail(field, $"needs a number or [low, high], got '{v}'");
            switch (value)
            {
                case string:
                    return Interval.Point(Parse(value));
                case System.Collections.IList { Count: 2 } list:
                    var (lo, hi) = (Parse(list[0]), Parse(list[1]));
                    return lo <= hi ? new Interval(lo, hi) : throw Fail(field, $"is [{lo.ToString(CultureInfo.InvariantCulture)}, {hi.ToString(CultureInfo.InvariantCulture)}]; give the low end first");
                default:
                    throw Fail(field, "needs a number or an 80 % interval written [low, high]");
            }
        }
    }
}
