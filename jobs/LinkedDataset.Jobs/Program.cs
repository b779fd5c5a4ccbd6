using System.CommandLine;
using LinkedDataset.Jobs.Commands;
using Spectre.Console;

// Redirected output (a log file, CI) has no terminal width: give tables room instead of Spectre's 80 columns.
if (System.Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 140;
}

var root = new RootCommand("ldp: the LinkedDataset pipeline. Builds a linked, pseudonymised whole-population health and care dataset from provider extracts and answers questions from it.")
{
    RunCommand.Create(),
    SynthCommand.Create(),
    PseudonymiseCommand.Create(),
    RekeyCommand.Create(),
    ExtractCommand.Create(),
    ServeCommand.Create(),
    SnapshotsCommand.Create(),
    DqCommand.Create(),
    LinkageReportCommand.Create(),
    ReportsCommand.Create(),
    DemandCommand.Create(),
    CohortCommand.Create(),
    MeasuresCommand.Create(),
    EvaluateCommand.Create(),
};
foreach (var command in MartsCommands.Create()) { root.Subcommands.Add(command); }
return root.Parse(args).Invoke();
