using System.CommandLine;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp cohort run FILE</c> and <c>ldp cohort test FILE</c>: build a cohort from a definition file, or check it against made-up people.</summary>
public static class CohortCommand
{
    /// <summary>The <c>cohort</c> command and its two subcommands.</summary>
    public static Command Create() => new("cohort", "Cohorts from definition files (YAML, no SQL): build one on a snapshot, or test one against made-up people. See docs/analyst.md.")
    {
        Run(), Test(),
    };

    private static Command Run()
    {
        var file = new Argument<string>("FILE") { Description = "Cohort definition file, e.g. schemas/cohorts/frail-75-plus-emergency.cohort.yaml." };
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot id. Default: the current one. Its marts must be built (ldp marts)." };
        var data = CommonOptions.Data();
        var memory = CommonOptions.MemoryLimit();
        var command = new Command("run", "Build the cohort on a snapshot: writes the person-level table to <data>/cohorts/<name>/<snapshot>/cohort.parquet (it stays in the dataset) and a report (attrition by person and by event, Table 1, costs by setting, every figure disclosure-controlled) under report/.")
        {
            file, snapshot, data, memory,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp cohort run");
            var result = AnsiConsole.Status().Start("Building the cohort…", _ => CohortRunner.Run(new CohortRunOptions(
                layout, parse.GetValue(file)!, parse.GetValue(snapshot), Limits: new DuckDbLimits(Math.Max(1, Environment.ProcessorCount), parse.GetValue(memory)!))));
            AnsiConsole.MarkupLine(Markup.Escape($"Cohort {result.Name} on snapshot {result.Provenance.SnapshotId}: {Count(result.Aggregates.People)} people ({result.Seconds:F1} s)."));
            var table = new Table().AddColumns("step", "rule", "people", "excluded", "events", "excluded", "pass alone (people)");
            foreach (var row in result.Aggregates.Attrition)
            {
                // Cells are markup to Spectre: escape them ("[REDACTED]" would read as a tag).
                table.AddRow(new[]
                {
                    row.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{row.Kind}: {row.Rule}", Count(row.People), Count(row.PeopleExcluded),
                    Count(row.Events), Count(row.EventsExcluded), Count(row.PeoplePassingAlone),
                }.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"Person-level table: {result.PersonTable}"));
            AnsiConsole.MarkupLine(Markup.Escape($"Report: {result.ReportFolder} ({result.Provenance.DisclosurePolicy})"));
            return 0;
        }));
        return command;
    }

    private static Command Test()
    {
        var file = new Argument<string>("FILE") { Description = "Cohort test file (made-up people and what the cohort should make of them), e.g. schemas/cohorts/frail-75-plus-emergency.test.yaml." };
        var command = new Command("test", "Run a cohort definition on a throwaway dataset of made-up people and print every person whose result differs from the expectation (exit 1 if any).")
        {
            file,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var result = CohortTester.Run(parse.GetValue(file)!);
            foreach (var difference in result.Differences)
            {
                AnsiConsole.MarkupLine("[red]" + Markup.Escape(difference.Message) + "[/]");
            }

            AnsiConsole.MarkupLine(Markup.Escape(result.Passed
                ? $"Cohort test of {result.CohortName} passed: {result.People} people as expected."
                : $"Cohort test of {result.CohortName} failed: {result.Differences.Select(d => d.PersonId).Distinct().Count()} of {result.People} people differ."));
            return result.Passed ? 0 : 1;
        }));
        return command;
    }

    private static string Count(long? value) => value?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "[REDACTED]";
}
