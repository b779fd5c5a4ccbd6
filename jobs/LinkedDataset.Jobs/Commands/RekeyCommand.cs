using System.CommandLine;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp rekey</c>: key rotation with identical linkage.</summary>
public static class RekeyCommand
{
    public static Command Create()
    {
        var oldKey = new Option<string>("--old-key-file") { Description = "Key file the dataset is under now.", Required = true };
        var newKey = new Option<string>("--new-key-file") { Description = "Key file to move the dataset to (at least 32 bytes).", Required = true };
        var data = CommonOptions.Data();
        var command = new Command("rekey", "Rotate the pseudonymisation key: re-stage landing under the new key, rewrite the link table so every person keeps their person_id, and publish a snapshot under the new key with the same linked content, with its marts and data-quality matrix.")
        {
            oldKey, newKey, data,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp rekey");
            var next = PseudonymKey.FromFile(parse.GetValue(newKey)!);
            var result = new Rekeyer(FeedSchemaLoader.LoadAll()).Rekey(new RekeyOptions(layout, PseudonymKey.FromFile(parse.GetValue(oldKey)!), next)
            {
                Scorer = new RiskModel(new RiskModelOptions()), NewKeyIsDevelopmentKey = KeySource.IsDevelopmentKey(next),
            });
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Rekeyed from key id {result.OldKeyId} to {result.NewKeyId}: {result.Remapped:N0} of {result.LinkRows:N0} link rows remapped, {result.AlreadyNew:N0} already new, {result.Retired:N0} retired. Snapshot {result.Snapshot.SnapshotId}."));
            foreach (var failed in result.Extracts.Where(r => r.Status == StagingReport.Failed))
            {
                AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(failed.Error ?? failed.FileName) + "[/]");
            }

            return 0;
        }));
        return command;
    }
}
