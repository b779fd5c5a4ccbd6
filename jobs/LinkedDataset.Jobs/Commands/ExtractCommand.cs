using LinkedDataset.Analysis.Cohorts;
using System.CommandLine;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp extract</c>: a record-level project extract with project-specific person ids.</summary>
public static class ExtractCommand
{
    public static Command Create()
    {
        var project = new Option<string>("--project") { Description = "Project name (lower-case letters, digits, '-', '_'); person ids are re-keyed for it.", Required = true };
        var cohort = new Option<string>("--cohort") { Description = "Cohort definition file (YAML, no SQL; see docs/analyst.md). The cohort is built on the snapshot (ldp cohort run) and its people released.", Required = true };
        var columns = new Option<string[]>("--columns") { Description = "Columns as table.column or table.* (space- or comma-separated), e.g. person.birth_month person.sex apc.*", Required = true, AllowMultipleArgumentsPerToken = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot to release from. Default: the current one." };
        var data = CommonOptions.Data();
        var keyFile = CommonOptions.KeyFile();
        var command = new Command("extract", "Write a record-level project extract (Parquet under data/extracts/<project>/) for a cohort, with person ids re-keyed for the project so two projects cannot join, and record the release in the audit log.")
        {
            project, cohort, columns, snapshot, data, keyFile,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp extract");
            var key = KeySource.Resolve(parse.GetValue(keyFile), warning => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(warning) + "[/]"));
            var people = CohortRelease.Build(layout, parse.GetValue(cohort)!, parse.GetValue(snapshot));
            var result = ProjectExtractor.Extract(new ProjectExtractOptions(
                layout, key, parse.GetValue(project)!, people, parse.GetValue(columns)!, parse.GetValue(snapshot)));
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Release {result.ReleaseId} for project {result.Project} from snapshot {result.SnapshotId}: {Protected(result.People)} people; " +
                string.Join(", ", result.TableRows.Select(t => $"{t.Key} {Protected(t.Value)} rows")) + $" ({SdcPolicy.Default.Describe()}). Written to {result.Folder}."));
            return 0;
        }));
        return command;
    }

    private static string Protected(long count) => DisclosureControl.ProtectCount(count, SdcPolicy.Default)?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "1-7 (suppressed)";
}
