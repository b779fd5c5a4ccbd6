using System.CommandLine;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp snapshots</c>: the complete snapshots, newest first, with the current one marked.</summary>
public static class SnapshotsCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var command = new Command("snapshots", "List the published snapshots (id, created, extracts, rows, current marker). Analyses can name one with --snapshot.") { data };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Read, layout =>
        {
            var list = SnapshotCatalog.List(layout);
            if (list.Count == 0)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"No snapshot has been published in {layout.Root}. Run 'ldp run' first."));
                return 0;
            }

            var table = new Table().AddColumns("", "snapshot", "created (UTC)", "extracts", "rows", "people (rounded)");
            foreach (var s in list)
            {
                table.AddRow(s.IsCurrent ? "*" : "", s.SnapshotId, s.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss"), s.Extracts.ToString("N0"), s.Rows.ToString("N0"), DisclosureControl.ProtectCount(s.People, SdcPolicy.Default)?.ToString("N0") ?? "*");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("* current (lake/CURRENT)");
            AnsiConsole.MarkupLine(Markup.Escape($"People: {SdcPolicy.Default.Describe()}. Extracts and rows are operational counts of files and records for the data manager: not for release."));
            return 0;
        }));
        return command;
    }
}
