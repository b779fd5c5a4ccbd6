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
    BenchCommand.Create(),
};
foreach (var command in MartsCommands.Create()) { root.Subcommands.Add(command); }
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
{
    // One line saying what is wrong and where the options are, not the whole help page.
    var command = string.Join(' ', parsed.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1).Select(c => c.Name).Append(parsed.CommandResult.Command.Name)).Trim();
    var help = parsed.CommandResult.Command == root ? "ldp --help" : $"ldp {command} --help";
    System.Console.Error.WriteLine($"error: {parsed.Errors[0].Message} Run '{help}' for the options.");
    return 2;
}

return parsed.Invoke();
