#:project ../pipeline/LinkedDataset.Analysis/LinkedDataset.Analysis.csproj
#:property PublishAot=false
#:package Microsoft.Data.Analysis

// A public health analyst's walkthrough: run as
//   dotnet run notebooks/analyst.cs -- --data DIR
// where DIR is a dataset folder with a published snapshot (for example after `ldp run`). It uses the same
// library code as `ldp cohort run` and `ldp measures`, keeps the small results in DataFrames, and writes
// charts (PNG + SVG) and a page (Markdown + HTML) under DIR/notebooks/analyst/.

using System.Globalization;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Data.Analysis;

var (layout, output) = NotebookFolders.From(args, "analyst");
var examples = Path.Combine(ProjectPaths.SchemasRoot, "cohorts");

// 1. The snapshot and its marts. Cohorts read segments (eFI, LTCs, Bridges to Health) and costs from the
//    marts of the snapshot; build them once if `ldp marts` has not been run.
var snapshot = layout.CurrentSnapshotId ?? throw new PipelineException($"No snapshot in {layout.Root}: run 'ldp run' first.");
if (!File.Exists(Path.Combine(layout.Marts(snapshot), "marts.json")))
{
    Console.WriteLine($"Building the marts of snapshot {snapshot}…");
    MartsBuilder.Build(new MartsOptions(layout, snapshot));
}

// 2. A cohort: frail people aged 75+ in Swale with 2+ emergency admissions in the year before. The
//    definition is a YAML file with no SQL; the attrition says how many people (and candidate index
//    events) each rule removed. Every figure has passed disclosure control.
var cohort = CohortRunner.Run(new CohortRunOptions(layout, Path.Combine(examples, "frail-75-plus-emergency.cohort.yaml"), snapshot));
var attrition = new DataFrame(
    new StringDataFrameColumn("rule", cohort.Aggregates.Attrition.Select(a => $"{a.Kind}: {a.Rule}")),
    new PrimitiveDataFrameColumn<long>("people", cohort.Aggregates.Attrition.Select(a => a.People)),
    new PrimitiveDataFrameColumn<long>("events", cohort.Aggregates.Attrition.Select(a => a.Events)));
Console.WriteLine($"Cohort {cohort.Name}: {cohort.Aggregates.People?.ToString(CultureInfo.InvariantCulture) ?? "[REDACTED]"} people");
Console.WriteLine(attrition);

// 3. Emergency admissions per 1,000 person-years by month and IMD quintile, age-standardised to the
//    European Standard Population 2013, all months in one pass; then a practice comparison.
var measure = MeasureRunner.Run(new MeasureRunOptions(layout, Path.Combine(examples, "emergency-admissions-month-imd.measure.yaml"), snapshot));
var values = new DataFrame(
    new StringDataFrameColumn("month", measure.Values.Select(v => v.Interval)),
    new StringDataFrameColumn("imd_quintile", measure.Values.Select(v => v.Group1)),
    new PrimitiveDataFrameColumn<double>("rate", measure.Values.Select(v => v.Value)),
    new PrimitiveDataFrameColumn<double>("dsr", measure.Values.Select(v => v.Dsr)));
// The average age-standardised rate over the months, per quintile: does deprivation show?
var byQuintile = values.GroupBy("imd_quintile").Mean("dsr");
Console.WriteLine(byQuintile);

// 4. Charts and a page. The same chart module and report renderer as `ldp` reports.
var trend = MeasureHtml.RatesOverTime(measure.Definition, measure.Values);
trend.SavePng(Path.Combine(output, "rates-over-time.png"));
trend.SaveSvg(Path.Combine(output, "rates-over-time.svg"));
var funnel = MeasureHtml.Funnel(measure.Practices);
funnel.SavePng(Path.Combine(output, "practice-funnel.png"));
funnel.SaveSvg(Path.Combine(output, "practice-funnel.svg"));

var page = new HtmlReport("Analyst walkthrough: cohorts and measures", CohortHtml.ToReportProvenance(measure.Provenance));
page.Heading("Frail 75+ in Swale with 2+ emergency admissions");
page.Table(ReportTable.From(cohort.Aggregates.Attrition,
    ("rule", a => $"{a.Kind}: {a.Rule}"), ("people", a => a.People?.ToString(CultureInfo.InvariantCulture) ?? "[REDACTED]"),
    ("events", a => a.Events?.ToString(CultureInfo.InvariantCulture) ?? "[REDACTED]")));
page.Heading("Emergency admissions by month and IMD quintile");
page.Chart(trend, "Age-standardised rate per 1,000 person-years (ESP 2013), one line per IMD quintile (1 = most deprived).");
page.Table(new ReportTable(["IMD quintile", "mean age-standardised rate"],
    Enumerable.Range(0, (int)byQuintile.Rows.Count).Select(i => (IReadOnlyList<object?>)[byQuintile.Columns[0][i]?.ToString(), byQuintile.Columns[1][i]]).ToList()));
page.Heading("Practices");
page.Chart(funnel, "Indirectly standardised ratios with 95 % and 99.8 % funnel limits.");
page.Paragraph("Outliers beyond 99.8 %: " + string.Join(", ", measure.Practices.Where(p => p.Flag.Contains("99.8", StringComparison.Ordinal)).Select(p => p.Practice).DefaultIfEmpty("none")) + ".");
page.Save(Path.Combine(output, "analyst.html"));
page.SaveMarkdown(Path.Combine(output, "analyst.md"));
Console.WriteLine($"Written to {output}");
