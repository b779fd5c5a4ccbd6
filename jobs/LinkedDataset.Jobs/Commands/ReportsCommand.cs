using System.CommandLine;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp reports</c>: the standard report set of a snapshot, on demand (the scheduled Reports job does the same).</summary>
public static class ReportsCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot to report on. Default: the current one ('ldp snapshots' lists them)." };
        var command = new Command("reports", "Render the standard report set of a snapshot (data-quality matrix, linkage quality, and each capability's report) into reports/<snapshot id>/ with an index.html; 'ldp serve' serves them at /reports.")
        {
            data, snapshot,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp reports");
            var result = ReportSetWriter.Write(new ReportSetOptions(layout, parse.GetValue(snapshot)));
            foreach (var report in result.Reports)
            {
                AnsiConsole.MarkupLine(Markup.Escape(report.Error is null ? $"  written  {report.FileName}  {report.Title}" : $"  FAILED   {report.FileName}  {report.Error}"));
            }

            AnsiConsole.MarkupLine(Markup.Escape($"Index: {result.Index}"));
            return result.Failed.Any() ? 1 : 0;
        }));
        return command;
    }
}
