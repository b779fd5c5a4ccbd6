using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Analysis.Demand;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;

namespace LinkedDataset.Analysis.Reports;

/// <summary>
/// The standard reports of the analysis capabilities: each runs, on the reported snapshot, what its command
/// runs (<c>ldp cohort run</c>, <c>ldp measures</c>, <c>ldp demand</c>, <c>ldp evaluate</c>) on the example
/// definitions shipped in <c>schemas/</c>, and returns the same report page. Supporting files go to the
/// report's files folder: disclosure-controlled CSVs and provenance only. Person-level tables (a cohort's
/// <c>cohort.parquet</c>) stay where the command keeps them, inside the dataset, and are never copied.
/// </summary>
public static class CapabilityReports
{
    /// <summary>Extensions of the supporting files a report may publish: aggregate CSVs and provenance.</summary>
    private static readonly string[] Publishable = [".csv", ".json", ".md"];

    /// <summary>One report per example cohort (<c>schemas/cohorts/*.cohort.yaml</c>).</summary>
    public static IEnumerable<StandardReport> Cohorts() =>
        Examples("cohorts", "*.cohort.yaml").Select(path => new StandardReport(
            $"cohort_{Stem(path)}.html", $"Cohort: {Stem(path)}", "public health analyst", c =>
            {
                var result = CohortRunner.Run(new CohortRunOptions(c.Layout, path, c.SnapshotId));
                CopyPublishable(result.ReportFolder, c.FilesFolder);
                return CohortHtml.Build(CohortParser.Load(path), result.Aggregates, result.Provenance);
            }));

    /// <summary>One report per example measure (<c>schemas/cohorts/*.measure.yaml</c>), with its practice funnel when it compares practices.</summary>
    public static IEnumerable<StandardReport> Measures() =>
        Examples("cohorts", "*.measure.yaml").Select(path => new StandardReport(
            $"measure_{Stem(path)}.html", $"Measure: {Stem(path)}", "public health analyst", c =>
            {
                var result = MeasureRunner.Run(new MeasureRunOptions(c.Layout, path, c.SnapshotId));
                CopyPublishable(result.Folder, c.FilesFolder);
                return MeasureHtml.Build(result.Definition, result.Values, result.Practices, result.Provenance);
            }));

    /// <summary>One report per demand scenario (<c>schemas/scenarios/*.yaml</c>), with the scenario's own Monte Carlo runs.</summary>
    public static IEnumerable<StandardReport> DemandScenarios() =>
        Examples("scenarios", "*.yaml").Select(path => new StandardReport(
            $"demand_{Stem(path)}.html", $"Demand and cost: {Stem(path)}", "commissioner", c =>
            {
                var result = DemandProjection.Run(new DemandOptions(c.Layout, path, c.SnapshotId, c.FilesFolder));
                // The page is the set's demand_<scenario>.html; the command's copy of it would be a second, unlinked page.
                File.Delete(Path.Combine(c.FilesFolder, "report.html"));
                return DemandReport.Build(result.Scenario, result.Baseline, result.Runs, result.Provenance, c.Clock);
            }));

    /// <summary>The shipped evaluation spec (<c>schemas/evaluations/social_prescribing.yaml</c>).</summary>
    public static StandardReport Evaluation()
    {
        var path = Path.Combine(ProjectPaths.SchemasRoot, "evaluations", "social_prescribing.yaml");
        return new StandardReport($"evaluation_{Stem(path)}.html", "Evaluation: social prescribing", "evaluator", c =>
        {
            var result = SnapshotEvaluation.Run(c.Layout, EvaluationSpecFile.Load(path), c.SnapshotId);
            EvaluationOutputs.Write(result, c.FilesFolder, SdcPolicy.Default);
            return EvaluationReport.Build(result, SdcPolicy.Default, c.SnapshotId, c.Clock);
        });
    }

    private static IEnumerable<string> Examples(string folder, string pattern)
    {
        var path = Path.Combine(ProjectPaths.SchemasRoot, folder);
        return Directory.Exists(path) ? Directory.GetFiles(path, pattern).Order(StringComparer.Ordinal) : [];
    }

    /// <summary>File name up to its first dot: <c>frail-75-plus-emergency.cohort.yaml</c> → <c>frail-75-plus-emergency</c>.</summary>
    private static string Stem(string path) => Path.GetFileName(path).Split('.')[0];

    private static void CopyPublishable(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => Publishable.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }
}
