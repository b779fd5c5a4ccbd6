using System.Globalization;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Reports;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// The evaluation's HTML report through the shared renderer: summary, diagnostics, balance table and love
/// plot, estimates with linkage sensitivity, event study, savings and ROI, conventions, caveats, provenance.
/// </summary>
public static class EvaluationReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes <c>report.html</c> in <paramref name="folder"/> and returns its path.</summary>
    public static string Write(EvaluationResult r, string folder, SdcPolicy policy, string snapshotId)
    {
        var path = Path.Combine(folder, "report.html");
        Build(r, policy, snapshotId).Save(path);
        return path;
    }

    /// <summary>The report page: what <c>ldp evaluate</c>, the standard report set and the evaluator's notebook all show.</summary>
    public static HtmlReport Build(EvaluationResult r, SdcPolicy policy, string snapshotId, TimeProvider? clock = null)
    {
        var provenance = Provenance.For(snapshotId, policy.Describe(), clock,
            new ProvenanceInput("evaluation spec", r.Spec.Name),
            new ProvenanceInput("unit costs", $"{r.Money.UnitCostVersion} ({r.Money.PriceYear} prices)"),
            new ProvenanceInput("bootstrap seed", r.Spec.Seed.ToString(Inv)),
            new ProvenanceInput("bootstrap replicates", r.Spec.Replicates.ToString(Inv)));
        var report = new HtmlReport(r.Spec.Name, provenance);
        var summary = EvaluationOutputs.Summary(r, policy).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        report.Heading("Summary");
        foreach (var line in summary)
        {
            report.Paragraph(line.TrimStart('-', ' ').Replace("**", "", StringComparison.Ordinal));
        }

        report.Heading("Diagnostics");
        report.Table(ReportTable.From(r.Diagnostics, ("diagnostic", d => d.Name), ("result", d => d.Pass ? "pass" : "FAIL"), ("value", d => d.Value), ("rule", d => d.Rule)));

        report.Heading("Balance");
        report.Table(ReportTable.From(r.Balance, ("covariate", b => b.Covariate), ("treated mean", b => Math.Round(b.TreatedMean, 3)),
            ("comparators before", b => Math.Round(b.ComparatorMeanBefore, 3)), ("comparators after", b => Math.Round(b.ComparatorMeanAfter, 3)),
            ("SMD before", b => Math.Round(b.SmdBefore, 3)), ("SMD after", b => Math.Round(b.SmdAfter, 3))));
        report.Chart(LovePlot(r), "Every covariate should sit left of the red line (0.1) after matching.");

        report.Heading("Effects");
        var rows = r.Outcomes.Append(r.NegativeControl).OfType<OutcomeResult>().ToList();
        report.Table(ReportTable.From(rows, ("outcome", o => o.Measure.Label + (o == r.NegativeControl ? " (negative control)" : "")),
            ("matched sets", o => DisclosureControl.ProtectCount(o.All.Sets, policy)),
            ("effect per person-year", o => Math.Round(o.All.Effect.Value, 3)), ("lower", o => Round(o.All.Effect.Lower)), ("upper", o => Round(o.All.Effect.Upper)),
            ("rate ratio", o => Math.Round(o.All.RateRatio.Value, 3)), ("naive before/after", o => Math.Round(o.All.Naive.Value, 3)),
            ("certain links only", o => Math.Round(o.Certain.Effect.Value, 3)), ("weighted links", o => Math.Round(o.Weighted.Effect.Value, 3))));
        foreach (var o in r.Outcomes)
        {
            report.Chart(EventStudy(o), "Treated minus matched comparators, each against their own pre-period, month by month (95 % intervals). The bump before 0 is the crisis that led to referral.");
        }

        report.Heading("Savings and return on investment");
        var m = r.Money;
        report.Table(ReportTable.From(m.Years, ("year", y => y.Year), ("adjusted saving per participant (£)", y => Math.Round(y.Adjusted, 2)),
            ("discount factor", y => Math.Round(y.DiscountFactor, 4)), ("present value (£)", y => Math.Round(y.PresentValue, 2))));
        report.Chart(SavingsAndCost(r), string.Create(Inv, $"ROI {m.Roi?.Value:F2} ({m.Roi?.Lower:F2} to {m.Roi?.Upper:F2}); BCR {m.Bcr?.Value:F2} ({m.Bcr?.Lower:F2} to {m.Bcr?.Upper:F2})."));
        return report;
    }

    /// <summary>Love plot: |SMD| of each covariate before and after matching, against the 0.1 threshold.</summary>
    public static Chart LovePlot(EvaluationResult r)
    {
        var love = Charts.NewPlot("Love plot: |SMD| before (grey) and after (colour) matching", "|standardised mean difference|", "");
        var ys = Enumerable.Range(0, r.Balance.Count).Select(i => (double)i).ToArray();
        love.Add.ScatterPoints(r.Balance.Select(b => Math.Abs(b.SmdBefore)).ToArray(), ys).Color = ScottPlot.Colors.Gray;
        love.Add.ScatterPoints(r.Balance.Select(b => Math.Abs(b.SmdAfter)).ToArray(), ys).Color = Charts.Series(0);
        love.Add.VerticalLine(Balance.Threshold).Color = Charts.Bad;
        love.Axes.Left.SetTicks(ys, r.Balance.Select(b => b.Covariate).ToArray());
        return Charts.From(love);
    }

    /// <summary>Event study of one outcome: the effect by month since the index month, with 95 % intervals.</summary>
    public static Chart EventStudy(OutcomeResult o)
    {
        var plot = Charts.NewPlot($"{o.Measure.Label}: event study", "months since the index month", "difference per person-year");
        var x = o.All.EventStudy.Select(e => (double)e.Month).ToArray();
        var y = o.All.EventStudy.Select(e => e.Effect.Value).ToArray();
        foreach (var e in o.All.EventStudy.Where(e => e.Effect.Lower is not null && e.Effect.Upper is not null))
        {
            plot.Add.Line(e.Month, e.Effect.Lower!.Value, e.Month, e.Effect.Upper!.Value);
        }

        plot.Add.Scatter(x, y).Color = Charts.Series(0);
        plot.Add.HorizontalLine(0).Color = ScottPlot.Colors.Gray;
        return Charts.From(plot);
    }

    /// <summary>Savings per participant (first year, present value, with 95 % intervals) against the programme cost.</summary>
    public static Chart SavingsAndCost(EvaluationResult r)
    {
        var m = r.Money;
        var money = Charts.NewPlot("Savings per participant against cost (£, 95 % intervals)", "", "£");
        var labels = new[] { "first-year gross saving", "present value of savings", "programme cost" };
        var values = new[] { m.GrossFirstYearPerParticipant.Value, m.PresentValuePerParticipant.Value, m.Assumptions.ProgrammeCostPerParticipant };
        money.Add.Bars(values);
        money.Add.Line(0, m.GrossFirstYearPerParticipant.Lower ?? values[0], 0, m.GrossFirstYearPerParticipant.Upper ?? values[0]);
        money.Add.Line(1, m.PresentValuePerParticipant.Lower ?? values[1], 1, m.PresentValuePerParticipant.Upper ?? values[1]);
        Charts.CategoryLabels(money, labels);
        return Charts.From(money);
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;
}
