using LinkedDataset.Analysis.Demand;

namespace LinkedDataset.Tests.Unit.Demand;

/// <summary>Hand-made baselines, projections and scenarios for the demand model tests.</summary>
internal static class DemandFixtures
{
    public static int Index(string setting) => DemandSetting.IndexOf(setting);

    /// <summary>A raw cell with the given activity and cost per setting (others 0).</summary>
    public static DemandBaseline.RawCell Cell(string band, string sex, double personYears, params (string Setting, double Activity, double Cost)[] values) =>
        Cell(band, sex, "all", personYears, values);

    public static DemandBaseline.RawCell Cell(string band, string sex, string segment, double personYears, params (string Setting, double Activity, double Cost)[] values)
    {
        var a = new double[DemandSetting.All.Count];
        var c = new double[DemandSetting.All.Count];
        foreach (var (setting, activity, cost) in values)
        {
            a[Index(setting)] = activity;
            c[Index(setting)] = cost;
        }

        return new DemandBaseline.RawCell(band, sex, segment, personYears, (long)personYears, a, c);
    }

    public static Baseline Baseline(int baseYear, BaselineSplit split, double poolBelow, params DemandBaseline.RawCell[] cells)
    {
        var spec = new BaselineSpec(1, split, poolBelow);
        return new Baseline(baseYear, [baseYear], split, poolBelow, DemandBaseline.Pool(cells, spec), 0, "2023/24");
    }

    public static Scenario Scenario(int horizon, int runs = 0, int seed = 1, bool noise = false) => new(
        "test", "", horizon, ["all"], [new ProjectionVariant("principal", [], 1)], new BaselineSpec(1, BaselineSplit.None, 0),
        null, [], [], [], [], new CostSpec(null, Interval.Point(0)), new CapacitySpec(0.9, 30, 10), new MonteCarloSpec(runs, seed, noise));
}
