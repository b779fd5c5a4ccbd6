using System.Globalization;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Disclosure;
using Spectre.Console;

namespace LinkedDataset.Jobs.Console;

/// <summary>Prints what <c>ldp run</c> did and the released answer.</summary>
public static class RunSummaryPrinter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(MainJobResult result, string? logPath)
    {
        if (result.GeneratedSyntheticData is { } synthetic)
        {
            SyntheticReportPrinter.Print(synthetic);
            AnsiConsole.WriteLine();
        }

        if (result.Answer is { } answer)
        {
            PrintAnswer(answer);
        }
        else
        {
            AnsiConsole.MarkupLine("[yellow]Not answered: emergency admissions per 1,000 population. " + Markup.Escape(result.Unanswered ?? "") + "[/]");
            AnsiConsole.WriteLine();
        }

        var feeds = new Table().Title("What happened, per feed")
            .AddColumn("Feed").AddColumn(new TableColumn("Files").RightAligned()).AddColumn(new TableColumn("Rows read").RightAligned())
            .AddColumn(new TableColumn("Staged").RightAligned()).AddColumn(new TableColumn("Rejected").RightAligned())
            .AddColumn(new TableColumn("Re-sent rows superseded").RightAligned()).AddColumn(new TableColumn("Linked").RightAligned())
            .AddColumn(new TableColumn("Provisional").RightAligned());
        foreach (var f in result.Feeds)
        {
            var files = f.FilesFailed == 0 ? f.Files.ToString(Invariant) : $"{f.Files} ([red]{f.FilesFailed} failed[/])";
            feeds.AddRow(f.Feed, files, N(f.RowsRead), N(f.RowsStaged), N(f.RowsQuarantined), N(f.DuplicatesRemoved),
                f.LinkRate is { } rate ? rate.ToString("P1", Invariant) : "hub",
                f.ProvisionalRate is { } provisional ? provisional.ToString("P1", Invariant) : "");
        }

        AnsiConsole.Write(feeds);
        AnsiConsole.MarkupLine("[grey]Linked: rows linked to a registered person (deterministically or probabilistically). Provisional: rows given a provisional person, not counted as linked.[/]");
        AnsiConsole.MarkupLine("[grey]Files and rows above are operational counts of records for the data manager: not for release.[/]");
        AnsiConsole.MarkupLine($"People in the person index: {Count(DisclosureControl.ProtectCount(result.People, SdcPolicy.Default))} (rounded to 5). Snapshot {result.Snapshot.SnapshotId}{(result.Snapshot.AlreadyPublished ? " (already published: same inputs)" : "")} at {Markup.Escape(result.Snapshot.Path)}");
        if (result.Snapshot.Reused)
        {
            AnsiConsole.MarkupLine("Snapshot reused: nothing new was staged and it already holds every staged extract, so linkage was not run again.");
        }

        if (result.Registration is { } landing)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Landing: {landing.New.Count} new extract(s), {landing.AlreadyRegistered.Count} already registered (same bytes: no-op), {landing.Refused.Count} file(s) refused, " +
                $"{result.Superseded.Count} earlier deliver{(result.Superseded.Count == 1 ? "y" : "ies")} superseded (registry/landing_registry.json)."));
        }

        if (result.Marts is { } marts)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Marts: {string.Join(", ", marts.Rows.Select(r => $"{r.Key} {N(r.Value)} rows"))} in {marts.Folder}."));
        }

        if (result.Quality is { } quality)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Data quality: {quality.Flagged.Count()} of {quality.Cells.Count} provider-months flagged ({quality.Cells.Count(c => c.Status == "missing")} missing); 'ldp dq' prints them."));
        }

        AnsiConsole.MarkupLine("Time per stage: " + string.Join(", ", result.Timings.Select(t => $"{Markup.Escape(t.Stage)} {t.Elapsed.TotalSeconds.ToString("0.0", Invariant)} s"))
            + $"; total {result.Timings.Sum(t => t.Elapsed.TotalSeconds).ToString("0.0", Invariant)} s.");
        if (logPath is not null)
        {
            AnsiConsole.MarkupLine($"[grey]Log: {Markup.Escape(logPath)}[/]");
        }
    }

    private static void PrintAnswer(EmergencyAdmissionAnswer answer)
    {
        var table = new Table().Title($"Emergency admissions per 1,000 population, {answer.WindowStart:yyyy-MM-dd} to {answer.WindowEnd:yyyy-MM-dd}")
            .AddColumn("Age band").AddColumn("IMD quintile (1 = most deprived)")
            .AddColumn(new TableColumn("Admissions").RightAligned()).AddColumn(new TableColumn("Population").RightAligned())
            .AddColumn(new TableColumn("Per 1,000").RightAligned());
        foreach (var cell in answer.Cells)
        {
            table.AddRow(cell.Group[0], cell.Group[1], Count(cell.Numerator), Count(cell.Denominator),
                cell.Rate is { } rate ? rate.ToString("0.0", Invariant) : "[grey]suppressed[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]Disclosure control: {Markup.Escape(answer.Policy)}. Snapshot {answer.SnapshotId}.[/]");
        AnsiConsole.WriteLine();
    }

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string Count(long? value) => value is { } v ? N(v) : "[grey]suppressed[/]";
}
