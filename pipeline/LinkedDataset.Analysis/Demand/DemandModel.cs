using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace LinkedDataset.Analysis.Demand;

/// <summary>Which change factors are applied: the waterfall switches them on one at a time.</summary>
[Flags]
public enum ChangeFactors
{
    /// <summary>Base-year population and rates: the baseline.</summary>
    None = 0,

    /// <summary>Projected population (projected ÷ base population by age band and sex).</summary>
    Demographic = 1,

    /// <summary>Healthy ageing.</summary>
    HealthyAgeing = 2,

    /// <summary>Change in the prevalence of split values (e.g. frailty).</summary>
    Prevalence = 4,

    /// <summary>Activity avoidance.</summary>
    Avoidance = 8,

    /// <summary>Interventions: reach × effect.</summary>
    Interventions = 16,

    /// <summary>Shifts between settings.</summary>
    Shifts = 32,

    /// <summary>Real-terms cost growth.</summary>
    CostGrowth = 64,

    /// <summary>Everything.</summary>
    All = 127,
}

/// <summary>Activity and cost of every setting in one year of one run (arrays in <see cref="DemandSetting.All"/> order).</summary>
public sealed record YearValues(double[] Activity, double[] Cost)
{
    /// <summary>Cost of every setting.</summary>
    public double TotalCost => Cost.Sum();
}

/// <summary>
/// The demand model, after the NHP demand and capacity model: per cell (age band × sex × split value) and
/// setting, activity = base rate × projected people × healthy-ageing adjustment × (1 − avoided share) ×
/// (1 − reach × effect), then shifts move shares between settings; cost = activity × the cell's unit cost,
/// restated to the price year, × (1 + real growth)^years. Levers are given for the horizon and phase in
/// linearly from the base year. Runs on small arrays (cells × settings), never per person.
/// </summary>
public sealed class DemandModel
{
    private static readonly Dictionary<string, double> BandMidpoints = new()
    {
        ["0-4"] = 2.5, ["5-17"] = 11.5, ["18-44"] = 31.5, ["45-64"] = 55, ["65-74"] = 70, ["75-84"] = 80, ["85+"] = 90,
    };

    private readonly Scenario scenario;
    private readonly Baseline baseline;
    private readonly IReadOnlyList<PopulationProjection> variants;
    private readonly double restate;
    private readonly int settings = DemandSetting.All.Count;

    /// <summary>Age band × sex rates (all split values) per setting: the curve healthy ageing reads along.</summary>
    private readonly Dictionary<(string Band, string Sex), double[]> ageSexRates = [];

    /// <summary>Per sex: band midpoints in order and, per setting, the rate at each.</summary>
    private readonly Dictionary<string, (double[] Ages, double[][] Rates)> curves = [];

    /// <summary>
    /// A model of <paramref name="scenario"/> on <paramref name="baseline"/>, with one projection per variant of the
    /// scenario in <paramref name="variants"/>, in order; <paramref name="restateCosts"/> takes costs from the
    /// baseline's price year to the scenario's.
    /// </summary>
    public DemandModel(Scenario scenario, Baseline baseline, IReadOnlyList<PopulationProjection> variants, double restateCosts = 1)
    {
        this.scenario = scenario;
        this.baseline = baseline;
        this.variants = variants;
        restate = restateCosts;
        foreach (var group in baseline.Cells.GroupBy(c => (c.AgeBand, c.Sex)))
        {
            var py = group.Sum(c => c.PersonYears);
            ageSexRates[group.Key] = Enumerable.Range(0, settings).Select(i => py > 0 ? group.Sum(c => c.Activity[i]) / py : 0).ToArray();
        }

        foreach (var sex in baseline.Cells.Select(c => c.Sex).Distinct())
        {
            var bands = DemandBaseline.AgeBands.Where(b => ageSexRates.ContainsKey((b, sex))).ToList();
            curves[sex] = (bands.Select(b => BandMidpoints[b]).ToArray(),
                Enumerable.Range(0, settings).Select(i => bands.Select(b => ageSexRates[(b, sex)][i]).ToArray()).ToArray());
        }
    }

    /// <summary>Financial years projected: the base year to the horizon.</summary>
    public IReadOnlyList<int> Years => Enumerable.Range(baseline.BaseYear, scenario.Horizon - baseline.BaseYear + 1).ToList();

    /// <summary>
    /// One run's values in <paramref name="year"/> with the change factors in <paramref name="factors"/>; counts
    /// redrawn from a Poisson when <paramref name="noise"/> is given (binomial thinning of a Poisson count is a
    /// Poisson count of the thinned mean, so one draw of the final expected count does both).
    /// </summary>
    public YearValues Evaluate(RunParameters p, int year, ChangeFactors factors = ChangeFactors.All, System.Random? noise = null)
    {
        var activity = new double[settings];
        var cost = new double[settings];
        var elapsed = year - baseline.BaseYear;
        var phase = Math.Clamp((double)elapsed / (scenario.Horizon - baseline.BaseYear), 0, 1);
        var populationYear = factors.HasFlag(ChangeFactors.Demographic) ? year : baseline.BaseYear;
        var growth = factors.HasFlag(ChangeFactors.CostGrowth) ? Math.Pow(1 + p.RealGrowth, elapsed) : 1;
        var projection = variants[p.Variant];
        var shares = SplitShares(p, phase, factors.HasFlag(ChangeFactors.Prevalence));
        var cellActivity = new double[settings];
        foreach (var cell in baseline.Cells)
        {
            var people = projection.People(populationYear, cell.AgeBand, cell.Sex) * shares[cell];
            for (var s = 0; s < settings; s++)
            {
                var value = cell.Rate[s] * people;
                if (factors.HasFlag(ChangeFactors.HealthyAgeing))
                {
                    value *= HealthyAgeingFactor(cell, s, p.HealthyAgeing, elapsed);
                }

                if (factors.HasFlag(ChangeFactors.Avoidance))
                {
                    value *= AvoidanceFactor(cell, s, p, phase);
                }

                if (factors.HasFlag(ChangeFactors.Interventions))
                {
                    for (var i = 0; i < scenario.Interventions.Count; i++)
                    {
                        var lever = scenario.Interventions[i];
                        if (lever.Setting == DemandSetting.All[s].Name && lever.Cells.Matches(cell.AgeBand, cell.Segment))
                        {
                            value *= 1 - p.Reach[i] * phase * p.Effect[i];
                        }
                    }
                }

                cellActivity[s] = value;
            }

            if (factors.HasFlag(ChangeFactors.Shifts))
            {
                ApplyShifts(cell, cellActivity, p, phase);
            }

            for (var s = 0; s < settings; s++)
            {
                var value = noise is null ? cellActivity[s] : Redraw(noise, cellActivity[s]);
                activity[s] += value;
                cost[s] += value * cell.UnitCost[s] * restate * growth;
            }
        }

        return new YearValues(activity, cost);
    }

    /// <summary>People-share of each cell within its age band × sex, after prevalence changes (shares of a band × sex still sum to 1).</summary>
    private Dictionary<BaselineCell, double> SplitShares(RunParameters p, double phase, bool prevalence)
    {
        var shares = baseline.Cells.ToDictionary(c => c, c => c.ShareOfAgeSex);
        if (!prevalence || scenario.Prevalence.Count == 0)
        {
            return shares;
        }

        foreach (var group in baseline.Cells.GroupBy(c => (c.AgeBand, c.Sex)))
        {
            for (var i = 0; i < scenario.Prevalence.Count; i++)
            {
                var lever = scenario.Prevalence[i];
                var matched = group.Where(c => lever.Cells.Matches(c.AgeBand, c.Segment)).ToList();
                var others = group.Except(matched).ToList();
                var before = matched.Sum(c => shares[c]);
                var after = Math.Min(1, before * (1 + p.Prevalence[i] * phase));
                var rest = others.Sum(c => shares[c]);
                if (before <= 0 || (rest <= 0 && after < before))
                {
                    continue; // nothing to scale, or no one to move the people to
                }

                foreach (var c in matched)
                {
                    shares[c] *= after / before;
                }

                foreach (var c in others)
                {
                    shares[c] *= rest > 0 ? (1 - after) / rest : 0;
                }
            }
        }

        return shares;
    }

    /// <summary>
    /// rate(a − h × ΔLE) ÷ rate(a) at the band's midpoint a, on the age band × sex rate curve (linear between
    /// band midpoints, flat beyond the ends), for bands whose midpoint is at or above the lever's starting age.
    /// </summary>
    private double HealthyAgeingFactor(BaselineCell cell, int setting, double share, int elapsed)
    {
        if (scenario.HealthyAgeing is not { } lever || share == 0 || elapsed <= 0 || BandMidpoints[cell.AgeBand] < lever.FromAge)
        {
            return 1;
        }

        var gain = (cell.Sex == "male" ? lever.LifeExpectancyGainPerYearMale : lever.LifeExpectancyGainPerYearFemale) * elapsed;
        var age = BandMidpoints[cell.AgeBand];
        var now = RateAt(cell.Sex, setting, age);
        return now > 0 ? RateAt(cell.Sex, setting, age - share * gain) / now : 1;
    }

    private double RateAt(string sex, int setting, double age)
    {
        if (!curves.TryGetValue(sex, out var curve) || curve.Ages.Length == 0)
        {
            return 0;
        }

        var (ages, rates) = (curve.Ages, curve.Rates[setting]);
        if (age <= ages[0])
        {
            return rates[0];
        }

        for (var i = 1; i < ages.Length; i++)
        {
            if (age <= ages[i])
            {
                var t = (age - ages[i - 1]) / (ages[i] - ages[i - 1]);
                return rates[i - 1] + t * (rates[i] - rates[i - 1]);
            }
        }

        return rates[^1];
    }

    private double AvoidanceFactor(BaselineCell cell, int setting, RunParameters p, double phase)
    {
        var name = DemandSetting.All[setting].Name;
        var follows = DemandSetting.All[setting].FollowsAvoidanceOf;
        var factor = 1.0;
        for (var i = 0; i < scenario.Avoidance.Count; i++)
        {
            var lever = scenario.Avoidance[i];
            if ((lever.Setting == name || lever.Setting == follows) && lever.Cells.Matches(cell.AgeBand, cell.Segment))
            {
                factor *= 1 - p.Avoidance[i] * phase;
            }
        }

        return factor;
    }

    private void ApplyShifts(BaselineCell cell, double[] activity, RunParameters p, double phase)
    {
        for (var i = 0; i < scenario.Shifts.Count; i++)
        {
            var shift = scenario.Shifts[i];
            if (!shift.Cells.Matches(cell.AgeBand, cell.Segment))
            {
                continue;
            }

            var from = DemandSetting.IndexOf(shift.From);
            var moved = activity[from] * p.ShiftShare[i] * phase;
            activity[from] -= moved;
            for (var t = 0; t < shift.To.Count; t++)
            {
                activity[DemandSetting.IndexOf(shift.To[t].Setting)] += moved * p.ShiftPerUnit[i][t];
            }
        }
    }

    private static double Redraw(System.Random random, double mean) => mean switch
    {
        <= 0 => 0,
        // Beyond int range a Poisson is a normal to within far less than its own sd.
        > 1e9 => Math.Max(0, Math.Round(Normal.Sample(random, mean, Math.Sqrt(mean)))),
        _ => Poisson.Sample(random, mean),
    };

    /// <summary>The generator for count noise, a stream separate from the parameters' so switching noise off leaves the parameter draws unchanged.</summary>
    public static System.Random NoiseRandom(int seed) => new MersenneTwister(unchecked(seed * 31 + 17), threadSafe: false);
}
