// The data manager's notebook: "Did every provider send this month, and is it sane?"
//
// Run it against a dataset folder that `ldp run` has published a snapshot in:
//
//     dotnet run notebooks/data-manager.cs -- --data data
//
// It writes its charts (PNG and SVG) and a Markdown and an HTML page under
// data/notebooks/data-manager/. Everything here is operational: counts of files and rows for the
// data manager inside the secure environment, not for release.
#:project ../pipeline/LinkedDataset.Analysis/LinkedDataset.Analysis.csproj
// File-based apps default to native AOT, which turns off the reflection the pipeline uses (JSON, Dapper).
#:property PublishAot=false
// Central package management (Directory.Packages.props) supplies the version: a version here is an error (NU1008).
#:package Microsoft.Data.Analysis

using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Data.Analysis;

var (layout, output) = NotebookFolders.From(args, "data-manager");
var snapshot = layout.CurrentSnapshotId;
if (snapshot is null)
{
    Console.Error.WriteLine($"No snapshot has been published in {layout.Root}. Run 'ldp run --data {layout.Root}' first.");
    return 1;
}

var report = new HtmlReport("Data manager: did every provider send, and is it sane?", Provenance.For(snapshot, Provenance.OperationalNotForRelease))
    .Note("Operational report for the data manager: counts of files and rows, not disclosure-controlled; not for release.");

// 1. The data-quality matrix, exactly as `ldp dq` builds it: one cell per provider × feed × month,
//    under the thresholds in schemas/dq_thresholds.yaml.
var matrix = DqMatrix.Build(layout, FeedSchemaLoader.LoadAll(), DqThresholds.Load(), snapshot);
var cells = new DataFrame(
    new StringDataFrameColumn("feed", matrix.Cells.Select(c => c.Feed)),
    new StringDataFrameColumn("status", matrix.Cells.Select(c => c.Status)),
    new Int64DataFrameColumn("rows_read", matrix.Cells.Select(c => (long?)c.RowsRead)),
    new Int64DataFrameColumn("flagged", matrix.Cells.Select(c => (long?)(c.Flags.Count > 0 ? 1 : 0))));

// Highlights per feed: how many provider-months arrived, were missing or refused, and were flagged.
var feeds = matrix.Cells.Select(c => c.Feed).Distinct().ToList();
var highlights = feeds.Select(feed =>
{
    var mine = cells.Filter(cells["feed"].ElementwiseEquals(feed));
    long Count(string status) => mine.Filter(mine["status"].ElementwiseEquals(status)).Rows.Count;
    return (Feed: feed, ProviderMonths: mine.Rows.Count, Received: Count(DqMatrix.Received), Missing: Count(DqMatrix.Missing),
        Refused: Count(DqMatrix.Refused), Flagged: Convert.ToInt64(mine["flagged"].Sum()), RowsRead: Convert.ToInt64(mine["rows_read"].Sum()));
}).ToList();
Console.WriteLine($"Snapshot {snapshot}: {matrix.Cells.Count} provider-months, {matrix.Flagged.Count()} flagged.");

report.Heading("Data-quality matrix highlights")
    .Paragraph($"Snapshot {snapshot}, months {matrix.Months.FirstOrDefault()} to {matrix.Months.LastOrDefault()}: {matrix.Cells.Count} provider-months, {matrix.Flagged.Count()} flagged. The full matrix is quality/{snapshot}/dq_matrix.html ('ldp dq').")
    .Table(ReportTable.From(highlights, ("feed", h => h.Feed), ("provider-months", h => h.ProviderMonths), ("received", h => h.Received),
        ("missing", h => h.Missing), ("refused", h => h.Refused), ("flagged", h => h.Flagged), ("rows read", h => h.RowsRead)));

var flaggedPlot = Charts.NewPlot("Provider-months by status", "feed", "provider-months");
Charts.StackedBars(flaggedPlot, feeds,
[
    ("received, not flagged", highlights.Select(h => (double)(h.Received - matrix.Cells.Count(c => c.Feed == h.Feed && c.Status == DqMatrix.Received && c.Flags.Count > 0))).ToList()),
    ("received, flagged", highlights.Select(h => (double)matrix.Cells.Count(c => c.Feed == h.Feed && c.Status == DqMatrix.Received && c.Flags.Count > 0)).ToList()),
    ("missing or refused", highlights.Select(h => (double)(h.Missing + h.Refused)).ToList()),
]);
var statusChart = Charts.From(flaggedPlot, 900, 380);
report.Chart(statusChart, "Provider-months per feed: received and clean, received but flagged, missing or refused.");
report.Table(ReportTable.From(matrix.Flagged.Take(20), ("feed", c => c.Feed), ("provider", c => c.Provider), ("month", c => c.Period),
    ("flags", c => string.Join(", ", c.Flags)), ("rows read", c => c.RowsRead)).WithCaption("Flagged provider-months (first 20)"));

// 2. Linkage quality: the share of each feed's rows linked by NHS number, by match tokens, or
//    left provisional, from the linkage report written with the snapshot.
var linkRates = LinkageReport.LinkRates(layout.Snapshot(snapshot));
var linkFrame = new DataFrame(
    new StringDataFrameColumn("feed", linkRates.Select(r => r.Feed)),
    new StringDataFrameColumn("method", linkRates.Select(r => r.Method)),
    new Int64DataFrameColumn("rows", linkRates.Select(r => (long?)r.Rows)),
    new DoubleDataFrameColumn("share", linkRates.Select(r => (double?)r.Share)));
var linked = linkFrame.Filter(linkFrame["method"].ElementwiseNotEquals("provisional"));
Console.WriteLine($"Linked rows: {Convert.ToInt64(linked["rows"].Sum()):N0} of {Convert.ToInt64(linkFrame["rows"].Sum()):N0}.");
report.Heading("Linkage quality")
    .Paragraph($"{Convert.ToInt64(linked["rows"].Sum())} of {Convert.ToInt64(linkFrame["rows"].Sum())} activity rows are linked to a person; the rest are provisional. The full report is lake/snapshots/{snapshot}/linkage_report.html ('ldp linkage-report').")
    .Table(ReportTable.From(linkRates, ("feed", r => r.Feed), ("method", r => r.Method), ("rows", r => r.Rows), ("share", r => r.Share.ToString("0.0%", System.Globalization.CultureInfo.InvariantCulture))));

// 3. What arrived late: activity sent in an extract for a later month than it happened in (a
//    provider's first extract of a feed carries its history, so it does not count).
var late = LateArrivals.Find(layout, snapshot);
var lateByFeed = late.GroupBy(l => l.Feed).Select(g => (Feed: g.Key, LateRows: g.Sum(l => l.LateRows), Extracts: g.Count(), MaxMonthsLate: g.Max(l => l.MaxMonthsLate))).ToList();
report.Heading("What arrived late")
    .Paragraph(late.Count == 0
        ? "No activity arrived late: every row was sent in the extract for the month it happened in."
        : $"{late.Sum(l => l.LateRows)} activity rows arrived in a later month's extract than the month they happened in, across {late.Count} provider-extracts.")
    .Table(ReportTable.From(lateByFeed, ("feed", l => l.Feed), ("late rows", l => l.LateRows), ("provider-extracts", l => l.Extracts), ("most months late", l => l.MaxMonthsLate)));
var latePlot = Charts.NewPlot("Late-arriving rows by feed", "feed", "rows");
Charts.StackedBars(latePlot, feeds.Where(f => f != "pmi").ToList(), [("late rows", feeds.Where(f => f != "pmi").Select(f => (double)late.Where(l => l.Feed == f).Sum(l => l.LateRows)).ToList())]);
var lateChart = Charts.From(latePlot, 900, 360);
report.Chart(lateChart, "Activity rows sent in a later month's extract than the month they happened in, by feed.");

// The page, and the same content as Markdown with each chart as PNG and SVG beside it.
report.Save(Path.Combine(output, "data-manager.html"));
report.SaveMarkdown(Path.Combine(output, "data-manager.md"));
Console.WriteLine($"Written: {output}");
return 0;
