#:project ../pipeline/LinkedDataset.Analysis/LinkedDataset.Analysis.csproj
#:property PublishAot=false
#:package Microsoft.Data.Analysis

// Evaluator's notebook: did social prescribing reduce A&E attendances and GP appointments, and what did it
// return per £1? Run it on a dataset folder that has a published snapshot (and ideally its marts), with
// at least 18 months of data (the shipped spec looks 9 months before each referral and 8 after):
//
//     dotnet run notebooks/evaluator.cs -- --data ./data
//
// It writes its charts (PNG and SVG), a Markdown page and an HTML page to <data>/notebooks/evaluator/. The
// page is the evaluation report itself, the one `ldp evaluate` and the standard report set write.

using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Reports;
using Microsoft.Data.Analysis;

var (layout, output) = NotebookFolders.From(args, "evaluator");
var snapshot = layout.CurrentSnapshotId ?? throw new PipelineException($"No snapshot in {layout.Root}: run 'ldp run' first.");

// 1. The question is written down before any data is looked at: the shipped spec (protocol first), read from
//    the project's schemas like every other example definition.
var spec = EvaluationSpecFile.Load(Path.Combine(ProjectPaths.SchemasRoot, "evaluations", "social_prescribing.yaml"));

// 2. Matching, diagnostics and estimates: the same library call `ldp evaluate --spec` makes. The CSVs pass
//    disclosure control.
var result = SnapshotEvaluation.Run(layout, spec, snapshot);
EvaluationOutputs.Write(result, Path.Combine(output, "csv"), SdcPolicy.Default);

// 3. A small DataFrame of the estimates, one row per outcome (means over hundreds of people: not disclosive).
//    A rate ratio below 1 is a reduction; the naive before/after beside it shows regression to the mean.
var outcomes = result.Outcomes.Append(result.NegativeControl).OfType<OutcomeResult>().ToList();
var frame = new DataFrame(
    new StringDataFrameColumn("outcome", outcomes.Select(o => o.Measure.Label)),
    new DoubleDataFrameColumn("effect_per_person_year", outcomes.Select(o => o.All.Effect.Value)),
    new DoubleDataFrameColumn("lower", outcomes.Select(o => o.All.Effect.Lower ?? double.NaN)),
    new DoubleDataFrameColumn("upper", outcomes.Select(o => o.All.Effect.Upper ?? double.NaN)),
    new DoubleDataFrameColumn("rate_ratio", outcomes.Select(o => o.All.RateRatio.Value)),
    new DoubleDataFrameColumn("naive_rate_ratio", outcomes.Select(o => o.All.NaiveRateRatio.Value)));
Console.WriteLine(frame.ToString());
Console.WriteLine($"ROI {result.Money.Roi?.Value:F2}, benefit-cost ratio {result.Money.Bcr?.Value:F2} per £1 ({result.Money.PriceYear} prices).");

// 4. Charts, from the report's own chart builders: the love plot (balance), the event study of each outcome (the
//    crisis before referral shows as a bump, the effect as a dip), and savings against cost.
var charts = new List<(string Name, Chart Chart)> { ("love_plot", EvaluationReport.LovePlot(result)) };
charts.AddRange(result.Outcomes.Select(o => ("event_study_" + o.Measure.Name, EvaluationReport.EventStudy(o))));
charts.Add(("savings_and_cost", EvaluationReport.SavingsAndCost(result)));
foreach (var (name, chart) in charts)
{
    chart.SavePng(Path.Combine(output, name + ".png"));
    chart.SaveSvg(Path.Combine(output, name + ".svg"));
}

// 5. The page: the evaluation report (summary, diagnostics, balance, effects, money, provenance).
var page = EvaluationReport.Build(result, SdcPolicy.Default, snapshot);
page.Save(Path.Combine(output, "evaluator.html"));
page.SaveMarkdown(Path.Combine(output, "evaluator.md"));
Console.WriteLine($"Written to {output}: evaluator.md, evaluator.html, {charts.Count} charts (PNG and SVG), CSV files in csv/.");
