#:project ../pipeline/LinkedDataset.Analysis/LinkedDataset.Analysis.csproj
#:property PublishAot=false
#:package Microsoft.Data.Analysis

// A commissioner's walkthrough: run as
//   dotnet run notebooks/commissioner.cs -- --data DIR
// where DIR is a dataset folder with a published snapshot (for example after `ldp run`). It runs the example
// demand scenario (schemas/scenarios/frailty_home_first.yaml) with the same library code as `ldp demand`, holds
// the small results in DataFrames, and writes charts (PNG + SVG) and a page (Markdown + HTML) under
// DIR/notebooks/commissioner/.

using System.Globalization;
using LinkedDataset.Analysis.Demand;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Data.Analysis;

var (layout, output) = NotebookFolders.From(args, "commissioner");

// 1. The snapshot and its marts. The baseline rates come from person_year (one row per person per financial
//    year, with age band, sex, eFI category and use and cost by setting); build the marts once if needed.
var snapshot = layout.CurrentSnapshotId ?? throw new PipelineException($"No snapshot in {layout.Root}: run 'ldp run' first.");
if (!File.Exists(Path.Combine(layout.Marts(snapshot), "marts.json")))
{
    Console.WriteLine($"Building the marts of snapshot {snapshot}…");
    MartsBuilder.Build(new MartsOptions(layout, snapshot));
}

// 2. The scenario: Kent and Medway to 2035/36 on the ONS 2022-based projections, with fewer frail people,
//    some emergency admissions avoided, bed days of people aged 75+ moving to home care and community health,
//    and rapid response for severe frailty. 200 Monte Carlo runs keep the walkthrough quick; `ldp demand`
//    uses the scenario's 500.
var scenarioFile = Path.Combine(ProjectPaths.SchemasRoot, "scenarios", "frailty_home_first.yaml");
var result = DemandProjection.Run(new DemandOptions(layout, scenarioFile, snapshot, Path.Combine(output, "projection"), Runs: 200));
var (first, last) = (FinancialYear.Label(result.Runs.Years[0]), FinancialYear.Label(result.Runs.Years[^1]));

// 3. The headline: each setting in the base year, at the horizon with demographic growth only (the
//    baseline), and at the horizon under the scenario (principal run), with cost in £ million.
var comparison = new DataFrame(
    new StringDataFrameColumn("setting", result.Runs.Comparison.Select(c => c.Setting)),
    new PrimitiveDataFrameColumn<double>("base_activity", result.Runs.Comparison.Select(c => Math.Round(c.BaseActivity))),
    new PrimitiveDataFrameColumn<double>("baseline_activity", result.Runs.Comparison.Select(c => Math.Round(c.BaselineActivity))),
    new PrimitiveDataFrameColumn<double>("scenario_activity", result.Runs.Comparison.Select(c => Math.Round(c.ScenarioActivity))),
    new PrimitiveDataFrameColumn<double>("base_cost_m", result.Runs.Comparison.Select(c => Math.Round(c.BaseCost / 1e6, 1))),
    new PrimitiveDataFrameColumn<double>("scenario_cost_m", result.Runs.Comparison.Select(c => Math.Round(c.ScenarioCost / 1e6, 1))));
Console.WriteLine($"{result.Scenario.Name}: {first} → {last}");
Console.WriteLine(comparison);

// 4. What drives the change in total cost: the waterfall adds one change factor at a time to the base year.
var waterfall = new DataFrame(
    new StringDataFrameColumn("factor", result.Runs.Waterfall.Select(w => w.Factor)),
    new PrimitiveDataFrameColumn<double>("cost_change_m", result.Runs.Waterfall.Select(w => Math.Round(w.TotalCostChange / 1e6, 1))));
Console.WriteLine(waterfall);

// 5. How sure: the spread of the Monte Carlo runs for total cost at the horizon.
var total = result.Runs.Projections.Single(r => r.Year == result.Runs.Years[^1] && r.Setting == "total").Cost;
Console.WriteLine($"Total cost {last}: £{total.Principal / 1e6:N0}m (80 % of runs £{total.P10 / 1e6:N0}m to £{total.P90 / 1e6:N0}m)");

// 6. Charts and a page, through the same chart module and renderer as `ldp demand`'s report.
var charts = new List<(string Name, Chart Chart, string Caption)>
{
    ("waterfall", DemandCharts.Waterfall(result.Runs, result.Runs.Comparison.Single(c => c.Setting == "total").BaseCost), "Change in total cost by change factor (principal run)."),
    ("fan-total-cost", DemandCharts.Fan(result.Runs, "total"), "Total cost, £ million: principal run, median, 80 % and 95 % intervals."),
    ("fan-emergency-bed-days", DemandCharts.Fan(result.Runs, "emergency_bed_days"), "Emergency bed days a year."),
    ("fan-home-care", DemandCharts.Fan(result.Runs, "home_care"), "Home care client weeks a year."),
};
foreach (var (name, chart, _) in charts)
{
    chart.SavePng(Path.Combine(output, name + ".png"));
    chart.SaveSvg(Path.Combine(output, name + ".svg"));
}

var page = new HtmlReport("Commissioner walkthrough: demand and cost to " + last,
    Provenance.For(snapshot, "projected figures are modelled for the projected population, not counts of people", null,
        new ProvenanceInput("scenario sha256", result.Provenance.ScenarioSha256), new ProvenanceInput("seed", result.Provenance.Seed.ToString(CultureInfo.InvariantCulture)),
        new ProvenanceInput("Monte Carlo runs", result.Provenance.Runs.ToString(CultureInfo.InvariantCulture))));
page.Paragraph(result.Scenario.Description);
page.Heading($"Scenario against the baseline, {last}");
page.Table(new ReportTable(["setting", first, $"{last} baseline", $"{last} scenario", $"cost {first} £m", $"cost {last} £m"],
    result.Runs.Comparison.Select(c => (IReadOnlyList<object?>)[c.Setting, c.BaseActivity, c.BaselineActivity, c.ScenarioActivity,
        Math.Round(c.BaseCost / 1e6, 1), Math.Round(c.ScenarioCost / 1e6, 1)]).ToList()));
page.Paragraph($"Total cost {last}: £{total.Principal / 1e6:N0}m in the principal run; 80 % of runs between £{total.P10 / 1e6:N0}m and £{total.P90 / 1e6:N0}m.");
foreach (var (_, chart, caption) in charts)
{
    page.Chart(chart, caption);
}

page.Paragraph($"The full report and CSVs: {Path.Combine("projection", "report.html")}.");
page.Save(Path.Combine(output, "commissioner.html"));
page.SaveMarkdown(Path.Combine(output, "commissioner.md"));
Console.WriteLine($"Written to {output}");
