using System.Globalization;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Reports;

namespace LinkedDataset.Analysis.Demand;

/// <summary>The HTML report of a projection, through the shared renderer: headline table, waterfall, fan charts, capacity, assumptions, provenance.</summary>
public static class DemandReport
{
    /// <summary>Writes <paramref name="path"/>; returns it.</summary>
    public static string Write(string path, Scenario scenario, Baseline baseline, DemandRuns runs, DemandProvenance p) =>
        Build(scenario, baseline, runs, p).Save(path);

    /// <summary>The report page (what <c>ldp demand</c> writes and the standard report set shows).</summary>
    public static HtmlReport Build(Scenario scenario, Baseline baseline, DemandRuns runs, DemandProvenance p, TimeProvider? clock = null)
    {
        var (first, last) = (FinancialYear.Label(runs.Years[0]), FinancialYear.Label(runs.Years[^1]));
        var provenance = Provenance.For(p.SnapshotId, $"baseline.csv: {SdcPolicy.Default.Describe()}; projected figures are modelled for the projected population, not counts of people",
            clock,
            [
                new ProvenanceInput("scenario file", Path.GetFileName(p.ScenarioFile)), new ProvenanceInput("scenario sha256", p.ScenarioSha256),
                .. p.ProjectionFiles.Select(f => new ProvenanceInput("projection " + f.Key + " sha256", f.Value)),
                new ProvenanceInput("seed", p.Seed.ToString(CultureInfo.InvariantCulture)), new ProvenanceInput("Monte Carlo runs", p.Runs.ToString(CultureInfo.InvariantCulture)),
                new ProvenanceInput("unit costs", p.UnitCostVersion), new ProvenanceInput("segment rules", p.SegmentRulesVersion),
                new ProvenanceInput("price year", $"{p.PriceYear} (baseline costs {p.BaselinePriceYear})"),
            ]);
        var report = new HtmlReport($"Demand and cost projection: {scenario.Name}", provenance);
        report.Paragraph(scenario.Description.Trim().Length > 0 ? scenario.Description.Trim() : "No description given.");
        report.Paragraph(
            $"Rates per person-year from {string.Join(", ", baseline.Years.Select(FinancialYear.Label))} of the linked dataset, by age band × sex" +
            (baseline.Split switch { BaselineSplit.EfiCategory => " × eFI category", BaselineSplit.ImdQuintile => " × IMD quintile", BaselineSplit.Segment => " × segment", _ => "" }) + $", applied to {string.Join(", ", scenario.Projections.Select(v => v.Name))} for {p.Areas.Count} area(s), " +
            $"projected to {last}. Principal run (every lever at its midpoint) and {p.Runs} seeded Monte Carlo runs (seed {p.Seed}){(p.CountNoise ? " with Poisson count noise" : "")}. " +
            $"Costs at {p.PriceYear} prices.");

        report.Heading($"Scenario against the baseline, {last}");
        report.Paragraph("Baseline: the same population and real cost growth with no other change. Scenario: the principal run. Interval: 80 % of Monte Carlo runs.");
        var horizonRows = runs.Projections.Where(r => r.Year == runs.Years[^1]).ToDictionary(r => r.Setting);
        report.Table(new ReportTable(
            ["Setting", "Unit", first, $"{last} baseline", $"{last} scenario", "80 % interval", $"Cost {first} £m", $"Cost {last} baseline £m", $"Cost {last} scenario £m", "80 % interval £m"],
            runs.Comparison.Where(c => c.Setting == "total" || c.BaseActivity > 0 || c.ScenarioActivity > 0).Select(c =>
            {
                var h = horizonRows[c.Setting];
                var total = c.Setting == "total";
                return (IReadOnlyList<object?>)
                [
                    total ? "Total" : DemandSetting.Find(c.Setting)!.Label, total ? "" : c.Unit, Whole(c.BaseActivity), Whole(c.BaselineActivity), Whole(c.ScenarioActivity),
                    total ? "" : $"{Whole(h.Activity.P10)} – {Whole(h.Activity.P90)}", Millions(c.BaseCost), Millions(c.BaselineCost), Millions(c.ScenarioCost),
                    $"{Millions(h.Cost.P10)} – {Millions(h.Cost.P90)}",
                ];
            }).ToList()));

        report.Heading("What drives the change: waterfall");
        var baseCost = runs.Comparison.Single(c => c.Setting == "total").BaseCost;
        report.Chart(DemandCharts.Waterfall(runs, baseCost),
            "Each bar adds one change factor to those before it (principal run): demographic growth, healthy ageing, prevalence, avoidance, interventions, shifts between settings, real cost growth.");
        report.Table(new ReportTable(["Change factor", "Total cost change £m"],
            runs.Waterfall.Select(w => (IReadOnlyList<object?>)[w.Factor.Replace('_', ' '), Millions(w.TotalCostChange)]).ToList()));

        report.Heading("Fan charts");
        report.Chart(DemandCharts.Fan(runs, "total"), "Total cost, £ million: principal run, Monte Carlo median, 80 % and 95 % intervals.");
        foreach (var setting in DemandSetting.All.Where(s => runs.Projections.Any(r => r.Setting == s.Name && r.Activity.Principal > 0)))
        {
            report.Chart(DemandCharts.Fan(runs, setting.Name), $"{setting.Label} ({setting.Unit}) a year.");
        }

        report.Heading("Capacity");
        report.Table(new ReportTable(["Measure", "Unit", first, last, "80 % interval", "95 % interval"],
            runs.Capacity.Select(c => c.Measure).Distinct().Select(m =>
            {
                var a = runs.Capacity.Single(c => c.Year == runs.Years[0] && c.Measure == m).Value;
                var b = runs.Capacity.Single(c => c.Year == runs.Years[^1] && c.Measure == m);
                return (IReadOnlyList<object?>)[m.Replace('_', ' '), b.Unit, Whole(a.Principal), Whole(b.Value.Principal),
                    $"{Whole(b.Value.P10)} – {Whole(b.Value.P90)}", $"{Whole(b.Value.P2_5)} – {Whole(b.Value.P97_5)}"];
            }).ToList()));

        report.Heading("Levers and assumptions");
        report.Table(new ReportTable(["Lever", "Applies to", "Value by the horizon"], Levers(scenario).ToList()));
        report.Note("Levers phase in linearly from the base year. An interval [lo, hi] is an 80 % interval sampled as a normal with sd = (hi − lo) / 2.563; the principal run uses its midpoint. " +
            "Social care cost in person_year is one figure: it is split between services by weeks × reference weekly unit costs. Emergency bed days carry no cost of their own (the spell does) and follow avoided admissions. " +
            $"Baseline pooling: {baseline.PoolingRule}. {Whole(baseline.ExcludedPersonYears)} person-years with sex not recorded as male or female, or unknown age, are left out of the rates.");
        return report;
    }

    private static IEnumerable<IReadOnlyList<object?>> Levers(Scenario s)
    {
        static string Where(CellFilter c) =>
            (c.Segments.Count == 0 ? "everyone" : string.Join(", ", c.Segments)) + (c.AgeBands.Count == 0 ? "" : "; ages " + string.Join(", ", c.AgeBands));
        if (s.HealthyAgeing is { } h)
        {
            yield return ["healthy ageing (share of life expectancy gain in good health)", $"ages {h.FromAge}+; gain {h.LifeExpectancyGainPerYearMale} (men), {h.LifeExpectancyGainPerYearFemale} (women) years a year", h.Share.ToString()];
        }

        foreach (var p in s.Prevalence)
        {
            yield return ["prevalence change", Where(p.Cells), p.Change.ToString()];
        }

        foreach (var a in s.Avoidance)
        {
            yield return [$"avoidance of {a.Setting}", Where(a.Cells), a.Share.ToString()];
        }

        foreach (var x in s.Shifts)
        {
            yield return [$"shift from {x.From} to {string.Join(" and ", x.To.Select(t => $"{t.Setting} ({t.PerUnit} per unit)"))}", Where(x.Cells), x.Share.ToString()];
        }

        foreach (var i in s.Interventions)
        {
            yield return [$"{i.Name}: {i.Setting} (effect from {i.EffectSource})", Where(i.Cells), $"reach {i.Reach}, effect {i.Effect}"];
        }

        yield return ["real cost growth a year", "all settings", s.Costs.RealGrowth.ToString()];
    }

    private static string Whole(double v) => double.IsFinite(v) ? v.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string Millions(double v) => double.IsFinite(v) ? (v / 1e6).ToString("N1", CultureInfo.InvariantCulture) : "";
}
