using System.CommandLine;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp pseudonymise</c>: pseudonymisation at source, run by a provider before sending an extract.</summary>
public static class PseudonymiseCommand
{
    public static Command Create()
    {
        var keyFile = new Option<string?>("--key-file") { Description = "File holding the agreed pseudonymisation key (at least 32 bytes). Default: the LDP_PSEUDONYM_KEY environment variable (base64, or hex prefixed 'hex:'), which wins when set." };
        var feed = new Option<string>("--feed") { Description = "Feed of the extract: " + string.Join(", ", FeedSchemaLoader.FeedNames) + ".", Required = true };
        var lookup = new Option<string?>("--postcode-lookup") { Description = "CSV with columns postcode and lsoa11cd; gives lsoa11cd (empty for a postcode not in it). Without it lsoa11cd is empty." };
        var input = new Argument<string>("IN") { Description = "The identifiable CSV extract." };
        var output = new Argument<string>("OUT") { Description = "Where to write the pseudonymised CSV." };
        var command = new Command("pseudonymise", "Pseudonymise an identifiable extract at source: keep the feed's content columns, replace the identity columns by person_token, match tokens (mt_*), birth_month, sex, lsoa11cd, household_token and key_id. Streams: memory does not grow with the file.")
        {
            keyFile, feed, lookup, input, output,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var key = PseudonymKey.Load(parse.GetValue(keyFile), KeySource.EnvironmentVariable);
            var result = new SourcePseudonymiser(FeedSchemaLoader.LoadAll()).Run(new SourcePseudonymiseOptions(
                parse.GetValue(feed)!, parse.GetValue(input)!, parse.GetValue(output)!, key, parse.GetValue(lookup)));
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Pseudonymised {result.Rows:N0} rows with key id {result.KeyId} ({key.Source}) in {result.Seconds:F1}s: {result.RowsWithPersonToken:N0} with a person token, {result.RowsWithLsoa:N0} with an LSOA."));
            if (result.DroppedColumns.Count > 0)
            {
                AnsiConsole.MarkupLine("[yellow]" + Markup.Escape($"Dropped column(s) the feed schema does not know (they could identify someone): {string.Join(", ", result.DroppedColumns)}.") + "[/]");
            }

            return 0;
        }));
        return command;
    }
}
