using MathNet.Numerics.Statistics;

namespace LinkedDataset.Analysis.Demand;

/// <summary>A projected quantity in one year: the principal run and the Monte Carlo median and 80 % / 95 % intervals.</summary>
public sealed record Spread(double Principal, double Median, double P10, double P90, double P2_5, double P97_5)
{
    /// <summary>Summarises <paramref name="runs"/> (the principal run is not among them); with no runs every figure is the principal.</summary>
    public static Spread Of(double principal, IReadOnlyList<double> runs)
    {
        if (runs.Count == 0)
        {
            return new Spread(principal, principal, principal, principal, principal, principal);
        }

        var sorted = runs.Order().ToArray();
        double Q(double tau) => SortedArrayStatistics.QuantileCustom(sorted, tau, QuantileDefinition.R7);
        return new Spread(principal, Q(0.5), Q(0.1), Q(0.9), Q(0.025), Q(0.975));
    }
}

/// <summary>One setting (or <c>total</c>) in one year: activity and cost.</summary>
public sealed record ProjectionRow(int Year, string Setting, string Unit, Spread Activity, Spread Cost);

/// <summary>One capacity measure in one year.</summary>
public sealed record CapacityRow(int Year, string Measure, string Unit, Spread Value);

/// <summary>One step of the waterfall for the horizon year: the change it adds, per setting and in total cost.</summary>
public sealed record WaterfallStep(string Factor, IReadOnlyList<double> ActivityChange, IReadOnlyList<double> CostChange)
{
    /// <summary>Total cost change of the step.</summary>
    public double TotalCostChange => CostChange.Sum();
}

/// <summary>Base year, the baseline (demography and cost growth only) and the scenario at the horizon, per setting (principal runs).</summary>
public sealed record ComparisonRow(string Setting, string Unit, double BaseActivity, double BaselineActivity, double ScenarioActivity, double BaseCost, double BaselineCost, double ScenarioCost);

/// <summary>Everything the Monte Carlo produced.</summary>
public sealed record DemandRuns(
    IReadOnlyList<int> Years,
    IReadOnlyList<ProjectionRow> Projections,
    IReadOnlyList<CapacityRow> Capacity,
    IReadOnlyList<WaterfallStep> Waterfall,
    IReadOnlyList<ComparisonRow> Comparison,
    IReadOnlyList<YearValues> Principal,
    IReadOnlyList<IReadOnlyList<YearValues>> Runs);

/// <summary>
/// Runs a <see cref="DemandModel"/>: the principal run, then <see cref="MonteCarloSpec.Runs"/> seeded runs (parameters
/// from one Mersenne Twister stream, Poisson count noise from another), the waterfall and the comparison with the baseline.
/// </summary>
public static class DemandRunner
{
    /// <summary>Waterfall order: each factor is switched on after those before it.</summary>
    public static readonly IReadOnlyList<(string Name, ChangeFactors Factor)> WaterfallOrder =
    [
        ("demographic", ChangeFactors.Demographic), ("healthy_ageing", ChangeFactors.HealthyAgeing), ("prevalence", ChangeFactors.Prevalence),
        ("avoidance", ChangeFactors.Avoidance), ("interventions", ChangeFactors.Interventions), ("shifts", ChangeFactors.Shifts),
        ("real_cost_growth", ChangeFactors.CostGrowth),
    ];

    /// <summary>Runs the model for every year from the base year to the horizon.</summary>
    public static DemandRuns Run(DemandModel model, Scenario scenario, CancellationToken cancellation = default, IProgress<int>? progress = null)
    {
        var years = model.Years;
        var principalParameters = RunParameters.Principal(scenario);
        var principal = years.Select(y => model.Evaluate(principalParameters, y)).ToList();
        var parameters = RunParameters.Random(scenario.MonteCarlo.Seed);
        var noise = scenario.MonteCarlo.CountNoise ? DemandModel.NoiseRandom(scenario.MonteCarlo.Seed) : null;
        var runs = new List<IReadOnlyList<YearValues>>(scenario.MonteCarlo.Runs);
        for (var r = 0; r < scenario.MonteCarlo.Runs; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var p = RunParameters.Draw(scenario, parameters);
            runs.Add(years.Select(y => model.Evaluate(p, y, ChangeFactors.All, noise)).ToList());
            progress?.Report(r + 1);
        }

        var settings = DemandSetting.All;
        var rows = new List<ProjectionRow>();
        var capacity = new List<CapacityRow>();
        for (var t = 0; t < years.Count; t++)
        {
            var index = t;
            for (var s = 0; s < settings.Count; s++)
            {
                var setting = s;
                rows.Add(new ProjectionRow(years[t], settings[s].Name, settings[s].Unit,
                    Spread.Of(principal[t].Activity[s], runs.Select(r => r[index].Activity[setting]).ToList()),
                    Spread.Of(principal[t].Cost[s], runs.Select(r => r[index].Cost[setting]).ToList())));
            }

            rows.Add(new ProjectionRow(years[t], "total", "£", Spread.Of(double.NaN, []), Spread.Of(principal[t].TotalCost, runs.Select(r => r[index].TotalCost).ToList())));
            foreach (var (measure, unit, of) in CapacityMeasures(scenario.Capacity))
            {
                capacity.Add(new CapacityRow(years[t], measure, unit, Spread.Of(of(principal[t]), runs.Select(r => of(r[index])).ToList())));
            }
        }

        var horizon = years[^1];
        var steps = new List<WaterfallStep>();
        var on = ChangeFactors.None;
        var before = model.Evaluate(principalParameters, horizon, on);
        foreach (var (name, factor) in WaterfallOrder)
        {
            on |= factor;
            var after = model.Evaluate(principalParameters, horizon, on);
            steps.Add(new WaterfallStep(name, Difference(after.Activity, before.Activity), Difference(after.Cost, before.Cost)));
            before = after;
        }

        var baseYear = model.Evaluate(principalParameters, years[0], ChangeFactors.None);
        var baselineOnly = model.Evaluate(principalParameters, horizon, ChangeFactors.Demographic | ChangeFactors.CostGrowth);
        var comparison = settings.Select((s, i) => new ComparisonRow(s.Name, s.Unit, baseYear.Activity[i], baselineOnly.Activity[i], principal[^1].Activity[i],
            baseYear.Cost[i], baselineOnly.Cost[i], principal[^1].Cost[i])).ToList();
        comparison.Add(new ComparisonRow("total", "£", double.NaN, double.NaN, double.NaN, baseYear.TotalCost, baselineOnly.TotalCost, principal[^1].TotalCost));
        return new DemandRuns(years, rows, capacity, steps, comparison, principal, runs);
    }

    /// <summary>
    /// Capacity from activity: beds = emergency bed days ÷ (365 × occupancy); care workers (FTE) = home care client
    /// weeks × hours per client week ÷ (contact hours per FTE week × 52); telecare installs and calls as projected,
    /// and calls per day.
    /// </summary>
    public static IReadOnlyList<(string Measure, string Unit, Func<YearValues, double> Of)> CapacityMeasures(CapacitySpec c)
    {
        var bedDays = DemandSetting.IndexOf("emergency_bed_days");
        var homeCare = DemandSetting.IndexOf("home_care");
        var installs = DemandSetting.IndexOf("telecare_installs");
        var calls = DemandSetting.IndexOf("telecare_calls");
        return
        [
            ("emergency_beds", $"beds at {c.BedOccupancy:P0} occupancy", v => v.Activity[bedDays] / (365 * c.BedOccupancy)),
            ("home_care_hours", "hours a year", v => v.Activity[homeCare] * c.HomeCareHoursPerClientWeek),
            ("care_workers", $"FTE at {c.CareWorkerContactHoursPerWeek:0.#} contact hours a week", v => v.Activity[homeCare] * c.HomeCareHoursPerClientWeek / (c.CareWorkerContactHoursPerWeek * 52)),
            ("telecare_installs", "installs a year", v => v.Activity[installs]),
            ("telecare_calls", "calls a year", v => v.Activity[calls]),
            ("telecare_calls_per_day", "calls a day", v => v.Activity[calls] / 365),
        ];
    }

    private static double[] Difference(double[] after, double[] before) => after.Select((a, i) => a - before[i]).ToArray();
}
