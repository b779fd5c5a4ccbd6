#:project ../pipeline/LinkedDataset.Analysis/LinkedDataset.Analysis.csproj
#:property PublishAot=false
#:package ScottPlot
#:package Microsoft.Data.Analysis

// Evaluator's notebook: did social prescribing reduce A&E attendances and GP appointments, and what did it
// return per £1? Run it on a dataset folder that has a published snapshot (and ideally its marts):
//
//     dotnet run notebooks/evaluator.cs -- --data ./data
//
// It writes its charts (PNG and SVG), a Markdown page and an HTML page to <data>/notebooks/evaluator/.

using System.Globalization;
using System.Text;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Data.Analysis;

var data = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? "data";
var layout = new DatasetLayout(Path.GetFullPath(data));
var output = Path.Combine(layout.Root, "notebooks", "evaluator");
Directory.CreateDirectory(output);

// 1. The question is written down before any data is looked at: the shipped spec (protocol first).
var specPath = Path.Combine(AppContext.BaseDirectory, "social_prescribing.yaml");
var repoSpec = Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "schemas", "evaluations", "social_prescribing.yaml"));
var spec = EvaluationSpecFile.Load(File.Exists(repoSpec) ? repoSpec : specPath);

// 2. Matching, diagnostics and estimates: the same library call `ldp evaluate --spec` makes.
var result = SnapshotEvaluation.Run(layout, spec);
var files = EvaluationOutputs.Write(result, Path.Combine(output, "csv"), SdcPolicy.Default);

// 3. A small DataFrame of the estimates, one row per outcome (means over hundreds of people: not disclosive).
var outcomes = result.Outcomes.Append(result.NegativeControl).OfType<OutcomeResult>().ToList();
var frame = new DataFrame(
    new StringDataFrameColumn("outcome", outcomes.Select(o => o.Measure.Label)),
    new DoubleDataFrameColumn("effect_per_person_year", outcomes.Select(o => o.All.Effect.Value)),
    new DoubleDataFrameColumn("lower", outcomes.Select(o => o.All.Effect.Lower ?? double.NaN)),
    new DoubleDataFrameColumn("upper", outcomes.Select(o => o.All.Effect.Upper ?? double.NaN)),
    new DoubleDataFrameColumn("rate_ratio", outcomes.Select(o => o.All.RateRatio.Value)),
    new DoubleDataFrameColumn("naive_rate_ratio", outcomes.Select(o => o.All.NaiveRateRatio.Value)));
Console.WriteLine(frame.ToString());

// 4. Charts: the event study (the crisis before referral shows as a bump, the effect as a dip), and the love plot.
var charts = new List<string>();
foreach (var o in result.Outcomes)
{
    var plot = new ScottPlot.Plot();
    plot.Title($"{o.Measure.Label}: effect by month since index");
    plot.XLabel("months since the index month");
    plot.YLabel("difference per person-year");
    var months = o.All.EventStudy.Select(e => (double)e.Month).ToArray();
    plot.Add.Scatter(months, o.All.EventStudy.Select(e => e.Effect.Value).ToArray());
    foreach (var e in o.All.EventStudy.Where(e => e.Effect.Lower is not null && e.Effect.Upper is not null))
            {
                plot.Add.Line(e.Month, e.Effect.Lower!.Value, e.Month, e.Effect.Upper!.Value);
            }

    plot.Add.HorizontalLine(0);
    var name = "event_study_" + o.Measure.Name;
    plot.SavePng(Path.Combine(output, name + ".png"), 800, 450);
    plot.SaveSvg(Path.Combine(output, name + ".svg"), 800, 450);
    charts.Add(name);
}

var love = new ScottPlot.Plot();
love.Title("Balance: |standardised mean difference| before (grey) and after (blue) matching");
var ys = Enumerable.Range(0, result.Balance.Count).Select(i => (double)i).ToArray();
love.Add.ScatterPoints(result.Balance.Select(b => Math.Abs(b.SmdBefore)).ToArray(), ys).Color = ScottPlot.Colors.Gray;
love.Add.ScatterPoints(result.Balance.Select(b => Math.Abs(b.SmdAfter)).ToArray(), ys).Color = ScottPlot.Colors.Blue;
love.Add.VerticalLine(0.1);
love.Axes.Left.SetTicks(ys, result.Balance.Select(b => b.Covariate).ToArray());
love.SavePng(Path.Combine(output, "love_plot.png"), 800, 450);
love.SaveSvg(Path.Combine(output, "love_plot.svg"), 800, 450);
charts.Add("love_plot");

// 5. The page: the plain-language summary, the table and the charts.
var markdown = new StringBuilder(EvaluationOutputs.Summary(result, SdcPolicy.Default));
markdown.AppendLine().AppendLine("## Charts").AppendLine();
foreach (var c in charts)
{
    markdown.AppendLine(CultureInfo.InvariantCulture, $"![{c}]({c}.svg)");
}

File.WriteAllText(Path.Combine(output, "evaluator.md"), markdown.ToString());
var html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Evaluator notebook</title></head><body>");
html.Append("<pre>").Append(System.Net.WebUtility.HtmlEncode(EvaluationOutputs.Summary(result, SdcPolicy.Default))).Append("</pre>");
foreach (var c in charts)
{
    html.Append(File.ReadAllText(Path.Combine(output, c + ".svg")));
}

File.WriteAllText(Path.Combine(output, "evaluator.html"), html.Append("</body></html>").ToString());
Console.WriteLine($"Written to {output}: evaluator.md, evaluator.html, {charts.Count} charts (PNG and SVG), CSV files in csv/.");
