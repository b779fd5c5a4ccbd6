using System.Globalization;
using System.Text.Json;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;

namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// Writes a projection's files: <c>projection.csv</c>, <c>capacity.csv</c>, <c>waterfall.csv</c>,
/// <c>comparison.csv</c>, <c>baseline.csv</c> (through disclosure control: it is the only file with counts from the
/// linked data), <c>provenance.json</c> and <c>report.html</c>. Projected figures are for the projected population,
/// not for people in the data, so they are written as modelled.
/// </summary>
public static class DemandOutputs
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes every file into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, Scenario scenario, Baseline baseline, DemandRuns runs, DemandProvenance provenance)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Csv(string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
        {
            var path = Path.Combine(folder, name);
            using (var writer = new StreamWriter(path))
            {
                CsvRecordWriter.Write(writer, header.Select(h => (string?)h).ToList());
                foreach (var row in rows)
                {
                    CsvRecordWriter.Write(writer, row);
                }
            }

            files.Add(path);
        }

        string[] spread = ["principal", "median", "p10", "p90", "p2_5", "p97_5"];
        Csv("projection.csv",
            ["financial_year", "setting", "unit", .. spread.Select(s => "activity_" + s), .. spread.Select(s => "cost_" + s)],
            runs.Projections.Select(r => (IReadOnlyList<string?>)[FinancialYear.Label(r.Year), r.Setting, r.Unit, .. Values(r.Activity), .. Values(r.Cost)]));
        Csv("capacity.csv", ["financial_year", "measure", "unit", .. spread],
            runs.Capacity.Select(r => (IReadOnlyList<string?>)[FinancialYear.Label(r.Year), r.Measure, r.Unit, .. Values(r.Value)]));
        Csv("waterfall.csv", ["factor", "setting", "activity_change", "cost_change"],
            runs.Waterfall.SelectMany(w => DemandSetting.All.Select((s, i) => (IReadOnlyList<string?>)[w.Factor, s.Name, Number(w.ActivityChange[i]), Number(w.CostChange[i])])
                .Append([w.Factor, "total", null, Number(w.TotalCostChange)])));
        Csv("comparison.csv", ["setting", "unit", "base_year_activity", "baseline_horizon_activity", "scenario_horizon_activity", "base_year_cost", "baseline_horizon_cost", "scenario_horizon_cost"],
            runs.Comparison.Select(c => (IReadOnlyList<string?>)[c.Setting, c.Unit, Number(c.BaseActivity), Number(c.BaselineActivity), Number(c.ScenarioActivity),
                Number(c.BaseCost), Number(c.BaselineCost), Number(c.ScenarioCost)]));
        Csv("baseline.csv", ["age_band", "sex", "split_value", "rates_from", "people", "person_years", "setting", "activity", "rate_per_1000", "rate_low_95", "rate_high_95"],
            BaselineRows(baseline, SdcPolicy.Default));
        var provenancePath = Path.Combine(folder, "provenance.json");
        files.Add(DemandReport.Write(Path.Combine(folder, "report.html"), scenario, baseline, runs, provenance));
        File.WriteAllText(provenancePath, JsonSerializer.Serialize(provenance, Json));
        files.Add(provenancePath);
        return files;
    }

    /// <summary>
    /// Baseline cells as released: people, person-years and activity counts protected by <see cref="DisclosureControl"/>
    /// (suppressed when small, rounded otherwise) and rates per 1,000 person-years, with their exact Poisson 95 %
    /// interval, from the protected values.
    /// </summary>
    public static IEnumerable<IReadOnlyList<string?>> BaselineRows(Baseline baseline, SdcPolicy policy)
    {
        foreach (var cell in baseline.Cells)
        {
            var people = DisclosureControl.ProtectCount(cell.People, policy);
            var personYears = DisclosureControl.ProtectCount((long)Math.Round(cell.PersonYears), policy);
            for (var i = 0; i < DemandSetting.All.Count; i++)
            {
                var activity = DisclosureControl.ProtectCount((long)Math.Round(cell.Activity[i]), policy);
                var (rate, low, high) = activity is { } a && personYears is { } py && py > 0
                    ? (a * 1000.0 / py, DemandBaseline.PoissonInterval(a, py).Low * 1000, DemandBaseline.PoissonInterval(a, py).High * 1000)
                    : (double.NaN, double.NaN, double.NaN);
                yield return [cell.AgeBand, cell.Sex, cell.Segment, cell.PooledTo, Count(people), Count(personYears), DemandSetting.All[i].Name, Count(activity),
                    Number(rate), Number(low), Number(high)];
            }
        }
    }

    private static string? Count(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string?[] Values(Spread s) => [Number(s.Principal), Number(s.Median), Number(s.P10), Number(s.P90), Number(s.P2_5), Number(s.P97_5)];

    private static string? Number(double value) => double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) : null;
}
