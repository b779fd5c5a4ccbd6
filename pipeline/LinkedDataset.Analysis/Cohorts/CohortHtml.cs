using LinkedDataset.Pipeline.Reports;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>The cohort report page (shared renderer and chart module): attrition, Table 1, costs by setting, provenance.</summary>
public static class CohortHtml
{
    /// <summary>The shared provenance block for an analysis output.</summary>
    public static Provenance ToReportProvenance(AnalysisProvenance p) => new(
        p.SnapshotId, p.CodeVersion,
        [
            new ProvenanceInput("definition file", p.DefinitionFile),
            new ProvenanceInput("definition SHA-256", p.DefinitionSha256),
            new ProvenanceInput("data window", $"{p.DataStart} to {p.DataEnd}"),
            .. p.Codelists.Select(c => new ProvenanceInput("codelist " + c.Key, c.Value)),
            .. p.References.Select(r => new ProvenanceInput("marts " + r.Key, r.Value)),
        ],
        p.DisclosurePolicy, p.GeneratedUtc);

    /// <summary>Builds the report; the caller saves it as HTML (and Markdown for notebooks).</summary>
    public static HtmlReport Build(CohortDefinition definition, CohortAggregates a, AnalysisProvenance provenance)
    {
        var report = new HtmlReport($"Cohort: {definition.Name}", ToReportProvenance(provenance));
        if (definition.Description.Length > 0)
        {
            report.Paragraph(definition.Description);
        }

        report.Paragraph($"People in the cohort: {Count(a.People)}. Counts 1–7 are shown as [REDACTED]; others are rounded.");
        report.Heading("Attrition");
        report.Note("By person: people with at least one candidate entry left after the step. By event: candidate index entries left. "
            + "'Passing alone' counts people meeting that rule whatever the others say, so overlaps between rules show.");
        report.Table(ReportTable.From(a.Attrition,
            ("step", r => r.Step.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("rule", r => $"{r.Kind}: {r.Rule}"),
            ("people", r => Count(r.People)), ("people excluded", r => r.Step == 0 ? "" : Count(r.PeopleExcluded)),
            ("events", r => Count(r.Events)), ("events excluded", r => r.Step == 0 ? "" : Count(r.EventsExcluded)),
            ("people passing rule alone", r => Count(r.PeoplePassingAlone))));
        var plot = Charts.NewPlot("People left after each step", "step", "people");
        var released = a.Attrition.Where(r => r.People is not null).ToList();
        var bars = plot.Add.Bars(released.Select(r => (double)r.Step).ToArray(), released.Select(r => (double)r.People!.Value).ToArray());
        bars.Color = Charts.Series(0);
        Charts.CategoryLabels(plot, a.Attrition.Select(r => r.Step.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
        report.Chart(Charts.From(plot), "People remaining after each attrition step (step numbers as in the table).");

        report.Heading("Table 1: characteristics at the index date");
        report.Table(ReportTable.From(a.Table1,
            ("characteristic", r => r.Characteristic), ("level", r => r.Level), ("people", r => Count(r.People)),
            ("%", r => r.Percent is { } p ? p.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "[REDACTED]")));

        report.Heading($"Activity and cost by setting ({a.CostPeriod})");
        report.Table(ReportTable.From(a.Costs,
            ("setting", r => r.Setting), ("people", r => Count(r.People)), ("events", r => Count(r.Events)),
            ("cost £ thousands", r => Count(r.CostThousands)), ("cost per person £", r => r.CostPerPerson is { } c ? c.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "[REDACTED]")));
        var costs = a.Costs.Where(c => c.CostThousands is > 0).ToList();
        if (costs.Count > 0)
        {
            var costPlot = Charts.NewPlot("Cost by setting", "setting", "£ thousands");
            var costBars = costPlot.Add.Bars(costs.Select((_, i) => (double)i).ToArray(), costs.Select(c => (double)c.CostThousands!.Value).ToArray());
            costBars.Color = Charts.Series(1);
            Charts.CategoryLabels(costPlot, costs.Select(c => c.Setting).ToList());
            report.Chart(Charts.From(costPlot), "Cost of the cohort's activity by setting, £ thousands (rounded; settings with suppressed counts left out).");
        }

        return report;
    }

    private static string Count(long? value) => value?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "[REDACTED]";
}
