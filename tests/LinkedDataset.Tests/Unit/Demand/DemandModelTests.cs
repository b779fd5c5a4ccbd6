using FluentAssertions;
using LinkedDataset.Analysis.Demand;
using static LinkedDataset.Tests.Unit.Demand.DemandFixtures;

namespace LinkedDataset.Tests.Unit.Demand;

public class DemandModelTests
{
    // Two age bands of women. Base year 2025/26: 65-74 had 1,000 person-years and 100 emergency admissions
    // costing £200,000 (rate 0.1, £2,000 each); 75-84 had 1,000 person-years and 300 costing £900,000 (rate 0.3,
    // £3,000 each). Projected women: 65-74 10,000 (2025) → 11,000 (2026); 75-84 5,000 → 6,000.
    private static readonly Baseline TwoBands = Baseline(2025, BaselineSplit.None, 0,
        Cell("65-74", "female", 1000, ("emergency_admissions", 100, 200_000)),
        Cell("75-84", "female", 1000, ("emergency_admissions", 300, 900_000)));

    private static readonly PopulationProjection TwoBandProjection = PopulationProjection.FromFigures("p",
        [(2025, "65-74", "female", 10_000), (2025, "75-84", "female", 5_000), (2026, "65-74", "female", 11_000), (2026, "75-84", "female", 6_000)]);

    [Fact]
    public void TwoAgeBandsTwoYears_GiveExactActivityAndCost()
    {
        // 2025: 0.1 × 10,000 + 0.3 × 5,000 = 1,000 + 1,500 = 2,500 admissions; £2,000 × 1,000 + £3,000 × 1,500 = £6.5m.
        // 2026: 0.1 × 11,000 + 0.3 × 6,000 = 1,100 + 1,800 = 2,900; £2.2m + £5.4m = £7.6m, × 1.02 real growth = £7.752m.
        var scenario = Scenario(2026) with { Costs = new CostSpec(null, Interval.Point(0.02)) };
        var runs = DemandRunner.Run(new DemandModel(scenario, TwoBands, [TwoBandProjection]), scenario);

        var admissions = Index("emergency_admissions");
        runs.Years.Should().Equal(2025, 2026);
        runs.Principal[0].Activity[admissions].Should().BeApproximately(2_500, 1e-9);
        runs.Principal[0].Cost[admissions].Should().BeApproximately(6_500_000, 1e-6);
        runs.Principal[1].Activity[admissions].Should().BeApproximately(2_900, 1e-9);
        runs.Principal[1].Cost[admissions].Should().BeApproximately(7_752_000, 1e-6);
        runs.Principal[1].Activity.Where((_, i) => i != admissions).Should().OnlyContain(v => v == 0);

        // Waterfall for 2026: demography adds 400 admissions and £1.1m; real growth adds 2% of £7.6m = £152,000.
        runs.Waterfall.Single(w => w.Factor == "demographic").ActivityChange[admissions].Should().BeApproximately(400, 1e-9);
        runs.Waterfall.Single(w => w.Factor == "demographic").CostChange[admissions].Should().BeApproximately(1_100_000, 1e-6);
        runs.Waterfall.Single(w => w.Factor == "real_cost_growth").TotalCostChange.Should().BeApproximately(152_000, 1e-6);
        runs.Waterfall.Sum(w => w.TotalCostChange).Should().BeApproximately(7_752_000 - 6_500_000, 1e-6);
    }

    [Fact]
    public void ShiftingTenPercentOfBedDays_MovesExactlyThatActivityAndItsCost()
    {
        // One cell: 1,000 person-years with 2,000 emergency bed days (rate 2) and 100 home care client weeks costing
        // £27,000 (£270 a week). 10,000 people both years. By the horizon (2026) 10% of bed days move to home care at
        // 0.5 client weeks per bed day: bed days 20,000 → 18,000; home care 1,000 + 2,000 × 0.5 = 2,000 weeks, £540,000.
        var baseline = Baseline(2025, BaselineSplit.None, 0,
            Cell("75-84", "male", 1000, ("emergency_bed_days", 2000, 0), ("home_care", 100, 27_000), ("emergency_admissions", 200, 400_000)));
        var projection = PopulationProjection.FromFigures("p", [(2025, "75-84", "male", 10_000), (2026, "75-84", "male", 10_000)]);
        var scenario = Scenario(2026) with
        {
            Shifts = [new Shift("emergency_bed_days", [new ShiftTarget("home_care", Interval.Point(0.5))], CellFilter.All, Interval.Point(0.10))],
        };

        var runs = DemandRunner.Run(new DemandModel(scenario, baseline, [projection]), scenario);

        var horizon = runs.Principal[1];
        horizon.Activity[Index("emergency_bed_days")].Should().BeApproximately(18_000, 1e-9);
        horizon.Activity[Index("home_care")].Should().BeApproximately(2_000, 1e-9);
        horizon.Cost[Index("home_care")].Should().BeApproximately(540_000, 1e-6);
        horizon.Activity[Index("emergency_admissions")].Should().BeApproximately(2_000, 1e-9);
        runs.Waterfall.Single(w => w.Factor == "shifts").ActivityChange[Index("emergency_bed_days")].Should().BeApproximately(-2_000, 1e-9);
        runs.Waterfall.Single(w => w.Factor == "shifts").CostChange[Index("home_care")].Should().BeApproximately(270_000, 1e-6);
        // Beds at 90% occupancy: 18,000 / (365 × 0.9) = 54.79; care workers: 2,000 weeks × 10 h / (30 h × 52) = 12.82 FTE.
        runs.Capacity.Single(c => c.Year == 2026 && c.Measure == "emergency_beds").Value.Principal.Should().BeApproximately(18_000 / 328.5, 1e-9);
        runs.Capacity.Single(c => c.Year == 2026 && c.Measure == "care_workers").Value.Principal.Should().BeApproximately(20_000 / 1560.0, 1e-9);
    }

    [Fact]
    public void AvoidingEmergencyAdmissions_AvoidsTheirBedDaysToo_PhasedInToTheHorizon()
    {
        // 20% of admissions avoided by 2027, phased linearly from 2025: 10% in 2026. 1,000 admissions and 5,000 bed
        // days a year without the lever → 900 and 4,500 in 2026, 800 and 4,000 in 2027.
        var baseline = Baseline(2025, BaselineSplit.None, 0, Cell("85+", "female", 1000, ("emergency_admissions", 100, 0), ("emergency_bed_days", 500, 0)));
        var projection = PopulationProjection.FromFigures("p", new[] { 2025, 2026, 2027 }.Select(y => (y, "85+", "female", 10_000.0)));
        var scenario = Scenario(2027) with { Avoidance = [new Avoidance("emergency_admissions", CellFilter.All, Interval.Point(0.2))] };

        var runs = DemandRunner.Run(new DemandModel(scenario, baseline, [projection]), scenario);

        runs.Principal.Select(v => v.Activity[Index("emergency_admissions")]).Should().Equal([1_000, 900, 800], (a, b) => Math.Abs(a - b) < 1e-9);
        runs.Principal.Select(v => v.Activity[Index("emergency_bed_days")]).Should().Equal([5_000, 4_500, 4_000], (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void HealthyAgeing_ReadsTheRateAYoungerAgeHad()
    {
        // Rates: 65-74 (midpoint 70) 0.1, 75-84 (midpoint 80) 0.3, linear between. Life expectancy gains 1 year a year
        // and h = 0.5, so by 2027 (2 years on) people use services as people 0.5 × 2 = 1 year younger did. 75-84 read
        // age 79: 0.1 + (0.3 − 0.1) × 0.9 = 0.28, so 6,000 × 0.28 = 1,680 (not 1,800). 65-74 read age 69, below the
        // first midpoint where the curve is flat: 0.1, so 11,000 × 0.1 = 1,100.
        var projection = PopulationProjection.FromFigures("p",
            [(2025, "65-74", "female", 10_000), (2025, "75-84", "female", 5_000), (2027, "65-74", "female", 11_000), (2027, "75-84", "female", 6_000),
             (2026, "65-74", "female", 10_500), (2026, "75-84", "female", 5_500)]);
        var scenario = Scenario(2027) with { HealthyAgeing = new HealthyAgeing(Interval.Point(0.5), 1, 1, 55) };

        var runs = DemandRunner.Run(new DemandModel(scenario, TwoBands, [projection]), scenario);

        runs.Principal[2].Activity[Index("emergency_admissions")].Should().BeApproximately(1_100 + 1_680, 1e-9);
        runs.Waterfall.Single(w => w.Factor == "healthy_ageing").ActivityChange[Index("emergency_admissions")].Should().BeApproximately(-120, 1e-9);
    }

    [Fact]
    public void PrevalenceChange_MovesPeopleBetweenSplitValues_KeepingTheAgeBandTotal()
    {
        // 75-84 men: 800 person-years fit (rate 0.1) and 200 frail (rate 1.0): shares 0.8 / 0.2. Frailty prevalence
        // −25% by the horizon: shares 0.85 / 0.15. 10,000 men: 8,500 × 0.1 + 1,500 × 1.0 = 2,350 admissions (was 2,800).
        var baseline = Baseline(2025, BaselineSplit.EfiCategory, 0,
            Cell("75-84", "male", "fit", 800, ("emergency_admissions", 80, 0)),
            Cell("75-84", "male", "severe", 200, ("emergency_admissions", 200, 0)));
        var projection = PopulationProjection.FromFigures("p", [(2025, "75-84", "male", 10_000), (2026, "75-84", "male", 10_000)]);
        var scenario = Scenario(2026) with { Prevalence = [new PrevalenceChange(new CellFilter(["severe"], []), Interval.Point(-0.25))] };

        var runs = DemandRunner.Run(new DemandModel(scenario, baseline, [projection]), scenario);

        runs.Principal[0].Activity[Index("emergency_admissions")].Should().BeApproximately(2_800, 1e-9);
        runs.Principal[1].Activity[Index("emergency_admissions")].Should().BeApproximately(2_350, 1e-9);
    }

    [Fact]
    public void Intervention_ReducesActivityByReachTimesEffect_InTheCellsItReaches()
    {
        // 40% of severe-frailty men reached, A&E attendances −25% among them: × (1 − 0.4 × 0.25) = × 0.9 in the severe
        // cell only. Severe: 2,000 × 1.0 = 2,000 → 1,800; fit 8,000 × 0.1 = 800 unchanged.
        var baseline = Baseline(2025, BaselineSplit.EfiCategory, 0,
            Cell("75-84", "male", "fit", 800, ("ae_attendances", 80, 0)),
            Cell("75-84", "male", "severe", 200, ("ae_attendances", 200, 0)));
        var projection = PopulationProjection.FromFigures("p", [(2025, "75-84", "male", 10_000), (2026, "75-84", "male", 10_000)]);
        var scenario = Scenario(2026) with
        {
            Interventions = [new InterventionLever("rapid response", "ae_attendances", new CellFilter(["severe"], []), Interval.Point(0.4), Interval.Point(0.25), "scenario")],
        };

        var runs = DemandRunner.Run(new DemandModel(scenario, baseline, [projection]), scenario);

        runs.Principal[1].Activity[Index("ae_attendances")].Should().BeApproximately(2_600, 1e-9);
    }

    private static Scenario WithLevers(Func<double, Interval> interval, int seed, bool noise) => Scenario(2030, runs: 50, seed: seed, noise: noise) with
    {
        HealthyAgeing = new HealthyAgeing(interval(0.5), 0.2, 0.15, 55),
        Avoidance = [new Avoidance("emergency_admissions", CellFilter.All, interval(0.1))],
        Shifts = [new Shift("emergency_bed_days", [new ShiftTarget("home_care", interval(0.3))], CellFilter.All, interval(0.1))],
        Costs = new CostSpec(null, interval(0.02)),
    };

    private static DemandRuns RunWithLevers(Func<double, Interval> interval, int seed = 7, bool noise = false)
    {
        var baseline = Baseline(2025, BaselineSplit.None, 0,
            Cell("75-84", "male", 1000, ("emergency_admissions", 200, 500_000), ("emergency_bed_days", 1500, 0), ("home_care", 300, 81_000)),
            Cell("85+", "male", 500, ("emergency_admissions", 200, 600_000), ("emergency_bed_days", 2000, 0), ("home_care", 400, 108_000)));
        var projection = PopulationProjection.FromFigures("p",
            Enumerable.Range(2025, 6).SelectMany(y => new[] { (y, "75-84", "male", 10_000.0 + 500 * (y - 2025)), (y, "85+", "male", 4_000.0 + 400 * (y - 2025)) }));
        var scenario = WithLevers(interval, seed, noise);
        return DemandRunner.Run(new DemandModel(scenario, baseline, [projection]), scenario);
    }

    [Fact]
    public void ZeroWidthIntervals_MakeEveryMonteCarloRunEqualThePrincipalRun()
    {
        var runs = RunWithLevers(Interval.Point);

        runs.Runs.Should().HaveCount(50);
        foreach (var run in runs.Runs)
        {
            for (var t = 0; t < runs.Years.Count; t++)
            {
                run[t].Activity.Should().Equal(runs.Principal[t].Activity);
                run[t].Cost.Should().Equal(runs.Principal[t].Cost);
            }
        }

        // The same levers as 80% intervals do spread the runs (so the check above can fail).
        var spread = RunWithLevers(v => new Interval(v * 0.5, v * 1.5));
        spread.Runs.Select(r => r[^1].TotalCost).Distinct().Should().HaveCount(50);
        var total = spread.Projections.Single(p => p.Year == 2030 && p.Setting == "total").Cost;
        total.P10.Should().BeLessThan(total.Median);
        total.P90.Should().BeGreaterThan(total.Median);
        total.P2_5.Should().BeLessThan(total.P10);
    }

    [Fact]
    public void SameSeed_GivesIdenticalResults_AnotherSeedDoesNot()
    {
        static Interval Wide(double v) => new(v * 0.5, v * 1.5);
        var first = RunWithLevers(Wide, seed: 42, noise: true);
        var second = RunWithLevers(Wide, seed: 42, noise: true);
        var other = RunWithLevers(Wide, seed: 43, noise: true);

        second.Runs.SelectMany(r => r.SelectMany(y => y.Activity.Concat(y.Cost))).Should().Equal(first.Runs.SelectMany(r => r.SelectMany(y => y.Activity.Concat(y.Cost))));
        other.Runs.Select(r => r[^1].TotalCost).Should().NotEqual(first.Runs.Select(r => r[^1].TotalCost));
    }

    [Fact]
    public void PoissonCountNoise_WithPointLevers_CentresOnThePrincipalRun()
    {
        // With count noise only, run values are Poisson counts around the principal: whole numbers whose mean is
        // within a few standard errors of it (admissions in 2030 are about 2,900, sd about 54 per run, 50 runs: se about 8).
        var runs = RunWithLevers(Interval.Point, noise: true);
        var admissions = Index("emergency_admissions");
        var principal = runs.Principal[^1].Activity[admissions];
        var values = runs.Runs.Select(r => r[^1].Activity[admissions]).ToList();
        values.Should().OnlyContain(v => v == Math.Round(v));
        values.Average().Should().BeApproximately(principal, 4 * Math.Sqrt(principal / values.Count));
        values.Distinct().Count().Should().BeGreaterThan(10);
    }
}
