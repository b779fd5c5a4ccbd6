using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Reports;

/// <summary>What a standard report is built from: the dataset, the snapshot, the clock, and where its supporting files go.</summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="SnapshotId">The snapshot reported on.</param>
/// <param name="Clock">The time written in the provenance block.</param>
/// <param name="FilesFolder">The report's folder for supporting files (disclosure-controlled CSVs and provenance), <c>reports/&lt;snapshot&gt;/files/&lt;report&gt;/</c>.</param>
public sealed record ReportContext(DatasetLayout Layout, string SnapshotId, TimeProvider Clock, string FilesFolder);

/// <summary>One report of the standard set: its file name in the set's folder, the title on the index page, how to build it.</summary>
/// <param name="FileName">File name, e.g. <c>dq_matrix.html</c>.</param>
/// <param name="Title">Link text on the index page.</param>
/// <param name="Audience">Who reads it (shown on the index).</param>
/// <param name="Build">Builds the report for a snapshot.</param>
public sealed record StandardReport(string FileName, string Title, string Audience, Func<ReportContext, HtmlReport> Build);

/// <summary>
/// The standard report set that <c>ldp reports</c> and the scheduled Reports job render for a
/// snapshot: what every command does, on that snapshot. One line per report: a capability adds its
/// report here, and the index page, the job and <c>/reports</c> pick it up.
/// </summary>
public static class StandardReports
{
    /// <summary>Every standard report, in index order: data quality, linkage, the example cohorts, the example measure, both demand scenarios, the evaluation.</summary>
    public static IReadOnlyList<StandardReport> All { get; } =
    [
        new("dq_matrix.html", "Data-quality matrix", "data manager", c => DqReport.Report(DqMatrix.Build(c.Layout, FeedSchemaLoader.LoadAll(), DqThresholds.Load(), c.SnapshotId), c.Clock)),
        new("linkage_report.html", "Linkage quality report", "data manager", c => WithSnapshot(c, db => LinkageReport.Report(db, c.Layout.Snapshot(c.SnapshotId), c.SnapshotId, c.Clock))),
        .. CapabilityReports.Cohorts(),
        .. CapabilityReports.Measures(),
        .. CapabilityReports.DemandScenarios(),
        CapabilityReports.Evaluation(),
    ];

    private static HtmlReport WithSnapshot(ReportContext context, Func<DuckDBConnection, HtmlReport> build)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        return build(db);
    }
}
