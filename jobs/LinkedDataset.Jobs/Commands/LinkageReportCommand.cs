#pragma warning disable DAP005, DAP028 // plain Dapper over DuckDB (Dapper.AOT's analyzers come with the ASP.NET Core reference)
using System.CommandLine;
using System.Globalization;
using Dapper;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp linkage-report</c>: the linkage quality report of a snapshot.</summary>
public static class LinkageReportCommand
{
    public static Command Create()
    {
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot to report on. Default: the current one." };
        var truth = new Option<string?>("--truth") { Description = "Synthetic data only: the generator's truth folder (records.csv), to print precision and recall of the probabilistic links." };
        var data = CommonOptions.Data();
        var command = new Command("linkage-report", "Print the linkage quality report written with a snapshot (link rate by feed and method, model m and u, estimated false-match and missed-match rates) and the path of its HTML.")
        {
            snapshot, truth, data,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Read, layout =>
        {
            using var db = DuckDb.OpenInMemory();
            var id = SnapshotReader.CreateViews(db, layout, parse.GetValue(snapshot));
            var folder = layout.Snapshot(id);
            var html = Path.Combine(folder, LinkageReport.HtmlFile);
            if (!File.Exists(html))
            {
                throw new Pipeline.Common.PipelineException($"Snapshot {id} has no linkage report: it was published before linkage reports existed. Publish a new snapshot with 'ldp run'.");
            }

            // An operational report for the data manager (row counts about files, not people): not for release.
            var table = new Table().AddColumns("feed", "method", "rows", "share");
            foreach (var row in db.Query<MethodRows>(
                         """
                         SELECT feed AS Feed, link_method AS Method, sum(rows)::BIGINT AS Rows,
                                (sum(rows) / sum(sum(rows)) OVER (PARTITION BY feed))::DOUBLE AS Share
                         FROM linkage_link_rate GROUP BY feed, link_method ORDER BY feed, link_method
                         """))
            {
                table.AddRow(row.Feed, row.Method, row.Rows.ToString("N0", CultureInfo.InvariantCulture), row.Share.ToString("P2", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            if (db.QuerySingleOrDefault<Summary>(
                    """
                    SELECT records::BIGINT AS Records, linked::BIGINT AS Linked, uncertain::BIGINT AS Uncertain, provisional::BIGINT AS Provisional,
                           estimated_false_match_rate::DOUBLE AS FalseMatchRate, estimated_missed_match_rate::DOUBLE AS MissedMatchRate,
                           missed_match_method AS MissedMatchMethod
                    FROM linkage_summary
                    """) is { } s)
            {
                AnsiConsole.WriteLine(FormattableString.Invariant(
                    $"Probabilistic pass: {s.Records:N0} rows without a usable NHS number; {s.Linked:N0} linked ({s.Uncertain:N0} flagged uncertain), {s.Provisional:N0} provisional. Model estimates: false-match rate {s.FalseMatchRate:P3}, missed-match rate {s.MissedMatchRate:P3}."));
                AnsiConsole.WriteLine($"Missed-match method: {s.MissedMatchMethod}");
            }

            if (parse.GetValue(truth) is { } truthFolder)
            {
                var e = TruthEvaluation.Evaluate(layout, id, Path.GetFullPath(truthFolder), FeedSchemaLoader.LoadAll());
                AnsiConsole.WriteLine(FormattableString.Invariant(
                    $"Against the truth file: precision {e.Precision:F4}, recall {e.Recall:F4} ({e.Correct:N0} correct of {e.Linked:N0} linked; {e.NeedingLinkage:N0} rows needed linkage); true missed-match rate {e.MissedRate:P3}."));
                if (e.BlockingRecall is { } blockingRecall)
                {
                    AnsiConsole.WriteLine(FormattableString.Invariant(
                        $"Blocking recall: {blockingRecall:P2} of the rows needing linkage were paired with their true person by some blocking rule ({e.WithTrueCandidate:N0} of {e.NeedingLinkage:N0})."));
                }
            }

            AnsiConsole.WriteLine($"HTML report: {html}");
            AnsiConsole.MarkupLine("[grey]Operational report for the data manager: row counts, not disclosure-controlled; not for release.[/]");
            return 0;
        }));
        return command;
    }

    private sealed record MethodRows(string Feed, string Method, long Rows, double Share);

    private sealed record Summary(long Records, long Linked, long Uncertain, long Provisional, double FalseMatchRate, double MissedMatchRate, string MissedMatchMethod);
}
