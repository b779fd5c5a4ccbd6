using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Reports;
using ScottPlot;

namespace LinkedDataset.Analysis.Demand;

/// <summary>The demand charts, built through the shared chart module: a fan chart per setting and the waterfall.</summary>
public static class DemandCharts
{
    /// <summary>
    /// Fan chart of a setting's activity (or, for <c>total</c>, of total cost in £m) by year: the 95 % band, the 80 % band,
    /// the Monte Carlo median and the principal run.
    /// </summary>
    public static Chart Fan(DemandRuns runs, string setting)
    {
        var rows = runs.Projections.Where(r => r.Setting == setting).OrderBy(r => r.Year).ToList();
        var isTotal = setting == "total";
        var spreads = rows.Select(r => isTotal ? Scale(r.Cost, 1e-6) : r.Activity).ToList();
        var label = isTotal ? "Total cost" : DemandSetting.Find(setting)!.Label;
        var plot = Charts.NewPlot(label, "Financial year (starting)", isTotal ? "£ million" : DemandSetting.Find(setting)!.Unit);
        double[] xs = rows.Select(r => (double)r.Year).ToArray();
        var outer = plot.Add.FillY(xs, spreads.Select(s => s.P2_5).ToArray(), spreads.Select(s => s.P97_5).ToArray());
        outer.FillStyle.Color = Charts.Series(0).WithAlpha(0.18);
        outer.LineStyle.Width = 0;
        outer.LegendText = "95 % interval";
        var inner = plot.Add.FillY(xs, spreads.Select(s => s.P10).ToArray(), spreads.Select(s => s.P90).ToArray());
        inner.FillStyle.Color = Charts.Series(0).WithAlpha(0.38);
        inner.LineStyle.Width = 0;
        inner.LegendText = "80 % interval";
        var median = plot.Add.Scatter(xs, spreads.Select(s => s.Median).ToArray());
        median.Color = Charts.Series(0);
        median.LineWidth = 2;
        median.MarkerSize = 0;
        median.LegendText = "median of runs";
        var principal = plot.Add.Scatter(xs, spreads.Select(s => s.Principal).ToArray());
        principal.Color = Charts.Series(1);
        principal.LineWidth = 2;
        principal.LinePattern = LinePattern.Dashed;
        principal.MarkerSize = 0;
        principal.LegendText = "principal run";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture) };
        return Charts.From(plot, 640, 360);
    }

    /// <summary>Waterfall of total cost (£m) from the base year to the horizon: one bar per change factor.</summary>
    public static Chart Waterfall(DemandRuns runs, double baseYearCost)
    {
        var plot = Charts.NewPlot($"Change in total cost, {FinancialYear.Label(runs.Years[0])} to {FinancialYear.Label(runs.Years[^1])}", "", "£ million");
        var bars = new List<Bar>();
        var level = baseYearCost / 1e6;
        bars.Add(new Bar { Position = 0, ValueBase = 0, Value = level, FillColor = Charts.Series(0) });
        var labels = new List<string> { FinancialYear.Label(runs.Years[0]) };
        foreach (var step in runs.Waterfall)
        {
            var change = step.TotalCostChange / 1e6;
            bars.Add(new Bar { Position = bars.Count, ValueBase = level, Value = level + change, FillColor = change >= 0 ? Charts.Bad : Charts.Series(2) });
            labels.Add(step.Factor.Replace('_', ' '));
            level += change;
        }

        bars.Add(new Bar { Position = bars.Count, ValueBase = 0, Value = level, FillColor = Charts.Series(0) });
        labels.Add(FinancialYear.Label(runs.Years[^1]));
        plot.Add.Bars(bars);
        Charts.CategoryLabels(plot, labels);
        return Charts.From(plot, 800, 500);
    }

    private static Spread Scale(Spread s, double f) => new(s.Principal * f, s.Median * f, s.P10 * f, s.P90 * f, s.P2_5 * f, s.P97_5 * f);
}
