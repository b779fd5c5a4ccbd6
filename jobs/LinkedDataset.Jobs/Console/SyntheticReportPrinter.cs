using System.Globalization;
using LinkedDataset.Synthetic;
using Spectre.Console;

namespace LinkedDataset.Jobs.Console;

/// <summary>Prints what the generator wrote and its achieved rates beside England's.</summary>
public static class SyntheticReportPrinter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(SyntheticResult result)
    {
        var rates = new Table().Title("Achieved rates beside England's (targets)")
            .AddColumn("Measure").AddColumn("Unit").AddColumn(new TableColumn("Achieved").RightAligned()).AddColumn(new TableColumn("Target").RightAligned());
        foreach (var r in result.Rates)
        {
            rates.AddRow(Markup.Escape(r.Measure), Markup.Escape(r.Unit), r.Achieved.ToString("0.0", Invariant), r.Target.ToString("0.0", Invariant));
        }

        AnsiConsole.Write(rates);
        AnsiConsole.MarkupLine(
            $"{result.InitialPeople.ToString("N0", Invariant)} people at the start, {result.TotalPeople.ToString("N0", Invariant)} with births and moves in; "
            + $"{result.RowsPerFeed.Values.Sum().ToString("N0", Invariant)} rows in {result.FilesWritten.ToString("N0", Invariant)} files; {result.FaultsLogged.ToString("N0", Invariant)} faults injected.");
        AnsiConsole.MarkupLine(
            $"Generated in {result.Elapsed.TotalSeconds.ToString("0.0", Invariant)} s: {result.PeopleMonthsPerSecond.ToString("N0", Invariant)} people-months per second.");
        AnsiConsole.MarkupLine($"Extracts: {Markup.Escape(result.OutputFolder)}  Truth: {Markup.Escape(result.TruthFolder)}");
    }
}
