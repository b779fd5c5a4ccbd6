using FluentAssertions;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Tests.Integration.Linkage;

/// <summary>Person ids across refreshes: a month of data is added and linkage runs again.</summary>
public class PersonIdStabilityTests
{
    [Fact]
    public void Rerun_AfterAddingAMonth_KeepsEveryEarlierPersonId_AndRecordsEveryChange()
    {
        using var folder = new TempFolder();
        var source = folder.Combine("generated");
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 2_000,
            Months = 4,
            Seed = 5,
            Faults = FaultRates.Default with { MissingNhsNumber = 0.05, InvalidNhsNumber = 0.02, NameTypo = 0.03 },
            OutputFolder = source,
            TruthFolder = folder.Combine("truth"),
        });
        var lastPeriod = Directory.EnumerateFiles(Path.Combine(source, "pmi")).Select(f => Path.GetFileNameWithoutExtension(f)[^7..]).Max(StringComparer.Ordinal)!;
        var layout = new DatasetLayout(folder.Combine("data"));
        FolderCopy.Copy(source, layout.Landing, file => !file.EndsWith("_" + lastPeriod + ".csv", StringComparison.Ordinal));
        var key = folder.Combine("k.key");
        File.WriteAllBytes(key, Enumerable.Range(0, 32).Select(i => (byte)(i + 9)).ToArray());

        var first = new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(layout.Root, key, Workers: 2), IRunProgress.Silent);
        var before = PersonIds(layout, first.Snapshot.SnapshotId);
        FolderCopy.Copy(source, layout.Landing, file => file.EndsWith("_" + lastPeriod + ".csv", StringComparison.Ordinal));
        var second = new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(layout.Root, key, Workers: 2), IRunProgress.Silent);
        var after = PersonIds(layout, second.Snapshot.SnapshotId);

        second.Snapshot.SnapshotId.Should().NotBe(first.Snapshot.SnapshotId);
        before.Values.Count(v => v.Method == "probabilistic").Should().BeGreaterThan(100);
        var changed = before.Where(b => after.TryGetValue(b.Key, out var a) && a.PersonId != b.Value.PersonId).ToList();

        // Every change of person is a closed history row plus an open one, never silent.
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, $"CREATE TABLE h AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(layout.Root, "linkage", "link_history.parquet"))})");
        foreach (var ((feed, provider, record), _) in changed)
        {
            DuckDb.Scalar<long>(db, $"SELECT count(*) FROM h WHERE feed = '{feed}' AND provider_code = '{provider}' AND record_id = '{record}' AND valid_to IS NOT NULL AND end_reason IN ('relinked', 'merged')")
                .Should().Be(1);
        }

        // Deterministic and probabilistic ids do not move; only provisional persons may be merged into a person who registered later.
        changed.Where(c => c.Value.Method != "provisional").Should().BeEmpty();
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM h WHERE valid_to IS NULL").Should().Be(after.Values.LongCount(v => v.Method != "deterministic"));
    }

    private static Dictionary<(string Feed, string Provider, string Record), (long PersonId, string Method)> PersonIds(DatasetLayout layout, string snapshotId)
    {
        var schemas = FeedSchemaLoader.LoadAll();
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, layout, snapshotId);
        var result = new Dictionary<(string, string, string), (long, string)>();
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(f => f != "pmi"))
        {
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT provider_code, CAST({Sql.Identifier(schemas[feed].RecordId)} AS VARCHAR), person_id, link_method FROM {feed}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result[(feed, reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), reader.GetString(3));
            }
        }

        return result;
    }
}
