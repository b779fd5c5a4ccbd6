using System.Globalization;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Reports;

namespace LinkedDataset.Analysis.Measures;

/// <summary>The measure report page (shared renderer and chart module): rates over time by group, the practice funnel plot, tables.</summary>
public static class MeasureHtml
{
    /// <summary>Rates (or DSRs when standardised) over time, one line per group.</summary>
    public static Chart RatesOverTime(MeasureDefinition m, IReadOnlyList<MeasureValue> values)
    {
        var standardised = m.Standardise && m.Kind != NumeratorKind.People;
        var unit = m.Kind == NumeratorKind.People ? "%" : m.Kind == NumeratorKind.PersonTime ? $"per {m.Per:N0} person-years" : $"per {m.Per:N0} people";
        var plot = Charts.NewPlot(standardised ? "Age-standardised rate over time (ESP 2013)" : "Rate over time", "interval start", unit);
        var series = 0;
        foreach (var group in values.GroupBy(v => (v.Group1, v.Group2)))
        {
            var points = group.Select(v => (X: v.Start.ToDateTime(TimeOnly.MinValue).ToOADate(), Y: standardised ? v.Dsr : v.Value)).Where(p => p.Y is not null).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            line.Color = Charts.Series(series++);
            line.LegendText = string.Join(" / ", new[] { group.Key.Group1, group.Key.Group2 }.Where(g => g.Length > 0)) is { Length: > 0 } label ? label : "all";
        }

        plot.Axes.DateTimeTicksBottom();
        plot.ShowLegend();
        return Charts.From(plot);
    }

    /// <summary>The funnel plot: each practice's ratio against its expected count, with 95 % and 99.8 % limits.</summary>
    public static Chart Funnel(IReadOnlyList<PracticeRatio> practices)
    {
        var plot = Charts.NewPlot("Practices: observed / expected", "expected", "ratio (1 = as expected)");
        var shown = practices.Where(p => p.Ratio is not null).ToList();
        if (shown.Count > 0)
        {
            var maxE = shown.Max(p => p.Expected) * 1.1;
            var minE = Math.Max(0.5, shown.Min(p => p.Expected) * 0.9);
            var xs = Enumerable.Range(0, 100).Select(i => minE + (maxE - minE) * i / 99).ToArray();
            foreach (var (level, index) in new[] { (0.95, 2), (0.998, 3) })
            {
                var limits = xs.Select(x => Intervals.FunnelLimits(x, level)).ToList();
                var upper = plot.Add.Scatter(xs, limits.Select(l => l.Upper).ToArray());
                var lower = plot.Add.Scatter(xs, limits.Select(l => l.Lower).ToArray());
                foreach (var line in new[] { upper, lower })
                {
                    line.MarkerSize = 0;
                    line.Color = Charts.Series(index);
                }

                upper.LegendText = level == 0.95 ? "95 % limits" : "99.8 % limits";
            }

            var points = plot.Add.Scatter(shown.Select(p => p.Expected).ToArray(), shown.Select(p => p.Ratio!.Value).ToArray());
            points.LineWidth = 0;
            points.MarkerSize = 6;
            points.Color = Charts.Series(0);
            points.LegendText = "practice";
            plot.Add.HorizontalLine(1, 1, Charts.Series(7));
            plot.ShowLegend();
        }

        return Charts.From(plot);
    }

    /// <summary>Builds the report.</summary>
    public static HtmlReport Build(MeasureDefinition m, IReadOnlyList<MeasureValue> values, IReadOnlyList<PracticeRatio> practices, AnalysisProvenance provenance)
    {
        var report = new HtmlReport($"Measure: {m.Name}", CohortHtml.ToReportProvenance(provenance));
        if (m.Description.Length > 0)
        {
            report.Paragraph(m.Description);
        }

        report.Note("Numerators and denominators are disclosure-controlled (counts 1–7 suppressed, others rounded); rates and 95 % intervals are computed "
            + "from the released numerator. Rate intervals: exact Poisson under 10 events, Byar from 10; proportions: Wilson; DSRs: Dobson.");
        report.Chart(RatesOverTime(m, values), "One line per group; gaps where a count was suppressed.");
        report.Heading("Values");
        report.Table(ReportTable.From(values,
            ("interval", v => v.Interval), (m.GroupBy.ElementAtOrDefault(0) ?? "group", v => v.Group1), (m.GroupBy.ElementAtOrDefault(1) ?? "", v => v.Group2),
            ("numerator", v => v.Numerator?.ToString("N0", CultureInfo.InvariantCulture) ?? "[REDACTED]"),
            ("denominator", v => v.Denominator?.ToString("N1", CultureInfo.InvariantCulture) ?? "[REDACTED]"),
            ("value", v => v.Value), ("95 % lower", v => v.Lower), ("95 % upper", v => v.Upper),
            ("DSR", v => v.Dsr), ("DSR lower", v => v.DsrLower), ("DSR upper", v => v.DsrUpper)));
        if (m.PracticeComparison)
        {
            report.Heading("Practice comparison");
            report.Paragraph("Indirectly standardised ratio: a practice's observed count over the count expected from all practices' rates by 5-year age group and sex. "
                + "Outliers beyond the 99.8 % limits: " + (practices.Where(p => p.Flag.Contains("99.8", StringComparison.Ordinal)).Select(p => $"{p.Practice} ({p.Flag})").ToList() is { Count: > 0 } o ? string.Join(", ", o) : "none") + ".");
            report.Chart(Funnel(practices), "Funnel plot: practices outside the lines differ from expected by more than chance at that level.");
            report.Table(ReportTable.From(practices,
                ("practice", p => p.Practice), ("observed", p => p.Observed?.ToString("N0", CultureInfo.InvariantCulture) ?? "[REDACTED]"), ("expected", p => p.Expected),
                ("ratio", p => p.Ratio), ("95 % limits", p => $"{p.Lower95:0.00}–{p.Upper95:0.00}"), ("99.8 % limits", p => $"{p.Lower998:0.00}–{p.Upper998:0.00}"), ("flag", p => p.Flag)));
        }

        return report;
    }
}
