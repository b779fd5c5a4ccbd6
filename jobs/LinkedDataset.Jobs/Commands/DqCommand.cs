using System.CommandLine;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp dq</c>: the data-quality matrix of a snapshot, re-derived under the current thresholds, printed and written.</summary>
public static class DqCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot to assess. Default: the current one ('ldp snapshots' lists them)." };
        var thresholds = new Option<string?>("--thresholds") { Description = "Thresholds file. Default: schemas/dq_thresholds.yaml. Change it and run again: nothing is re-staged." };
        var all = new Option<bool>("--all") { Description = "Print every provider-month, not only the flagged ones." };
        var command = new Command("dq", "Data-quality matrix per provider × feed × month: received or missing, volume against the provider's own history, completeness, code validity, costs, duplicates, rejections by reason, link rate. Writes quality/<snapshot>/dq_matrix.parquet and .html.")
        {
            data, snapshot, thresholds, all,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp dq");
            var matrix = DqMatrix.Build(layout, FeedSchemaLoader.LoadAll(), DqThresholds.Load(parse.GetValue(thresholds)), parse.GetValue(snapshot));
            var files = DqReport.Write(matrix, layout);
            Print(matrix, parse.GetValue(all));
            AnsiConsole.MarkupLine(Markup.Escape($"Written: {files.Parquet} and {files.Html}"));
            AnsiConsole.MarkupLine("[grey]Operational counts of files and rows for the data manager (no person-level data, not disclosure-controlled): not for release.[/]");
            return 0;
        }));
        return command;
    }

    private static void Print(DqMatrixResult m, bool all)
    {
        var flagged = m.Flagged.ToList();
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Snapshot {m.SnapshotId}, {m.Months.FirstOrDefault()} to {m.Months.LastOrDefault()}: {m.Cells.Count} provider-months, " +
            $"{m.Cells.Count(c => c.Status == DqMatrix.Received)} received, {m.Cells.Count(c => c.Status == DqMatrix.Missing)} missing, " +
            $"{m.Cells.Count(c => c.Status == DqMatrix.Refused)} refused; {flagged.Count} flagged."));
        var rows = all ? m.Cells : flagged;
        if (rows.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("feed", "provider", "month", "status", "rows read", "expected", "dup %", "reject %", "link %", "provisional %", "flags");
        foreach (var c in rows)
        {
            table.AddRow(c.Feed, c.Provider, c.Period, c.Status, c.RowsRead.ToString("N0"), c.ExpectedRows?.ToString("N0") ?? "", Pct(c.DuplicateRate), Pct(c.RejectionRate), Pct(c.LinkRate), Pct(c.ProvisionalRate),
                Markup.Escape(string.Join(", ", c.Flags)));
        }

        AnsiConsole.Write(table);
    }

    private static string Pct(double? v) => v is { } x ? (100 * x).ToString("0.0") : "";
}
