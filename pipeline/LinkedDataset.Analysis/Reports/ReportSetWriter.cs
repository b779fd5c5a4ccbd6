using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Reports;

/// <summary>Options of one rendering of the report set.</summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="SnapshotId">Snapshot to report on; null: the current one.</param>
/// <param name="Reports">Reports to render; null: <see cref="StandardReports.All"/>.</param>
/// <param name="Clock">Clock for the provenance block; null: the system clock.</param>
public sealed record ReportSetOptions(DatasetLayout Layout, string? SnapshotId = null, IReadOnlyList<StandardReport>? Reports = null, TimeProvider? Clock = null);

/// <summary>One report that was written, or why it was not.</summary>
public sealed record ReportSetEntry(string FileName, string Title, string? Error);

/// <summary>What a rendering wrote: the folder, its index page, each report.</summary>
public sealed record ReportSetResult(string SnapshotId, string Folder, string Index, IReadOnlyList<ReportSetEntry> Reports)
{
    /// <summary>Reports that failed to render.</summary>
    public IEnumerable<ReportSetEntry> Failed => Reports.Where(r => r.Error is not null);
}

/// <summary>
/// Renders the standard report set of a snapshot into <c>reports/&lt;snapshot id&gt;/</c> with an
/// <c>index.html</c> linking each report. A report that fails (say, its inputs are missing from an
/// old snapshot) is listed on the index with the reason; the others are still written. Idempotent:
/// the same snapshot gives the same files (the generated time aside).
/// </summary>
public static class ReportSetWriter
{
    /// <summary>The index page's file name.</summary>
    public const string IndexFile = "index.html";

    /// <summary>Folder of the set (under <c>reports/&lt;snapshot&gt;/</c>) holding each report's supporting files, one sub-folder per report.</summary>
    public const string FilesFolder = "files";

    public static ReportSetResult Write(ReportSetOptions options, CancellationToken cancellationToken = default)
    {
        var layout = options.Layout;
        var snapshotId = options.SnapshotId ?? layout.CurrentSnapshotId
            ?? throw new PipelineException($"No snapshot has been published in {layout.Root}. Run 'ldp run' first.");
        if (!File.Exists(Path.Combine(layout.Snapshot(snapshotId), "manifest.json")))
        {
            throw new PipelineException($"Snapshot '{snapshotId}' is not a complete snapshot in {layout.Snapshots}. 'ldp snapshots' lists those that are.");
        }

        var clock = options.Clock ?? TimeProvider.System;
        var folder = layout.Reports(snapshotId);
        Directory.CreateDirectory(folder);
        var entries = new List<ReportSetEntry>();
        foreach (var report in options.Reports ?? StandardReports.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var files = Path.Combine(folder, FilesFolder, Path.GetFileNameWithoutExtension(report.FileName));
                report.Build(new ReportContext(layout, snapshotId, clock, files)).Save(Path.Combine(folder, report.FileName));
                entries.Add(new ReportSetEntry(report.FileName, report.Title, null));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One report's failure (say an older snapshot lacks a table it reads) must not stop the
                // others; the index and the caller say which failed and why (messages name files, not rows).
                entries.Add(new ReportSetEntry(report.FileName, report.Title, e.Message.Split('\n')[0].Trim()));
            }
        }

        var index = new HtmlReport($"Reports for snapshot {snapshotId}", Provenance.For(snapshotId, "as stated on each report", clock))
            .Paragraph($"The standard report set of snapshot {snapshotId}. Each report carries its own provenance and disclosure-control statement.")
            .Links(entries.Where(e => e.Error is null).Select(e => ($"{e.Title} ({(options.Reports ?? StandardReports.All).First(r => r.FileName == e.FileName).Audience})", e.FileName)));
        var failed = entries.Where(e => e.Error is not null).ToList();
        if (failed.Count > 0)
        {
            index.Heading("Not rendered").Table(ReportTable.From(failed, ("report", e => e.Title), ("reason", e => e.Error)));
        }

        var indexPath = index.Save(Path.Combine(folder, IndexFile));
        return new ReportSetResult(snapshotId, folder, indexPath, entries);
    }
}
