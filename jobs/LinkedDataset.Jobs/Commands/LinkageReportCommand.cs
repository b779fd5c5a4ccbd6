using System.CommandLine;
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
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = new DatasetLayout(Path.GetFullPath(parse.GetValue(data)!));
            using var db = DuckDb.OpenInMemory();
            var id = SnapshotReader.CreateViews(db, layout, parse.GetValue(snapshot));
            var folder = layout.Snapshot(id);
            var html = Path.Combine(folder, LinkageReport.HtmlFile);
            if (!File.Exists(html))
            {
                throw new Pipeline.Common.PipelineException($"Snapshot {id} has no linkage report: it was published before linkage reports existed. Publish a new snapshot with 'ldp run'.");
            }

            var table = new Table().AddColumns("feed", "method", "rows", "share");
            using (var c = db.CreateCommand())
            {
                c.CommandText = "SELECT feed, link_method, sum(rows)::BIGINT, sum(rows) / sum(sum(rows)) OVER (PARTITION BY feed) FROM linkage_link_rate GROUP BY ALL ORDER BY ALL";
                using var r = c.ExecuteReader();
                while (r.Read())
                {
                    table.AddRow(r.GetString(0), r.GetString(1), r.GetInt64(2).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), r.GetDouble(3).ToString("P2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            AnsiConsole.Write(table);
            using (var c = db.CreateCommand())
            {
                c.CommandText = "SELECT records, linked, uncertain, provisional, estimated_false_match_rate, estimated_missed_match_rate, missed_match_method FROM linkage_summary";
                using var r = c.ExecuteReader();
                if (r.Read())
                {
                    AnsiConsole.WriteLine(FormattableString.Invariant(
                        $"Probabilistic pass: {r.GetInt64(0):N0} rows without a usable NHS number; {r.GetInt64(1):N0} linked ({r.GetInt64(2):N0} flagged uncertain), {r.GetInt64(3):N0} provisional. Model estimates: false-match rate {r.GetDouble(4):P3}, missed-match rate {r.GetDouble(5):P3}."));
                    AnsiConsole.WriteLine($"Missed-match method: {r.GetString(6)}");
                }
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
            return 0;
        }));
        return command;
    }
}
