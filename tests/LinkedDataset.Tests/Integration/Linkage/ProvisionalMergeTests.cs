using FluentAssertions;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Tests.Integration.Linkage;

/// <summary>
/// Two provisional persons that turn out to be one registered person: the merge is recorded in the
/// link history, never silent.
/// </summary>
public class ProvisionalMergeTests
{
    // Zebedee Quixote-Marlowe, born 1931-02-17, is not registered at first. Two A&E attendances of his
    // arrive without an NHS number, from two addresses, so they carry two different token sets and
    // become two provisional persons. A month later his registration arrives (valid NHS number
    // 9434765919, at the second address): both attendances now match him (name and date of birth
    // agree; one postcode too), and each change is recorded as 'merged'.
    private static readonly Dictionary<string, string> Zebedee = new()
    {
        ["given_name"] = "Zebedee", ["family_name"] = "Quixote-Marlowe", ["date_of_birth"] = "1931-02-17", ["sex"] = "1",
    };

    [Fact]
    public void TwoProvisionalPersons_ThatTurnOutToBeOneRegisteredPerson_AreMergedWithTheMergeRecorded()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 1_500, Months = 3, Seed = 11, Faults = FaultRates.None,
            OutputFolder = layout.Landing, TruthFolder = folder.Combine("truth"),
        });
        var schemas = FeedSchemaLoader.LoadAll();
        WriteExtract(layout, schemas["ae"], "ae_RXX_2026-02.csv",
        [
            new(Zebedee) { ["ec_ident"] = "ZQ1", ["provider_code"] = "RXX", ["arrival_date"] = "2026-02-03", ["ec_arrival_mode_snomed_ct"] = "1048071000000103", ["postcode"] = "CT9 9QZ" },
            new(Zebedee) { ["ec_ident"] = "ZQ2", ["provider_code"] = "RXX", ["arrival_date"] = "2026-02-20", ["ec_arrival_mode_snomed_ct"] = "1048071000000103", ["postcode"] = "ME99 9QZ" },
        ]);
        var key = folder.Combine("k.key");
        File.WriteAllBytes(key, Enumerable.Range(0, 32).Select(i => (byte)(i + 21)).ToArray());

        var first = Run(layout, key);
        var before = Attendances(layout, first);
        before.Should().HaveCount(2).And.OnlyContain(a => a.Method == "provisional");
        before[0].PersonId.Should().NotBe(before[1].PersonId, "two token sets make two provisional persons");

        WriteExtract(layout, schemas["pmi"], "pmi_G89999_2026-03.csv",
        [
            new(Zebedee) { ["registration_id"] = "RZQ1", ["provider_code"] = "G89999", ["registration_start_date"] = "2026-03-02", ["nhs_number"] = "9434765919", ["postcode"] = "ME99 9QZ" },
        ]);
        var second = Run(layout, key);
        var after = Attendances(layout, second);

        after.Select(a => a.PersonId).Distinct().Should().ContainSingle("both attendances are now the one registered person");
        after.Should().OnlyContain(a => a.Method == "probabilistic" || a.Method == "uncertain");
        after[0].PersonId.Should().NotBe(before[0].PersonId).And.NotBe(before[1].PersonId);

        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, $"CREATE TABLE h AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(layout.Root, "linkage", "link_history.parquet"))}) WHERE feed = 'ae' AND provider_code = 'RXX'");
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM h WHERE valid_to IS NOT NULL AND end_reason = 'merged' AND link_method = 'provisional'").Should().Be(2);
        DuckDb.Scalar<long>(db, $"SELECT count(*) FROM h WHERE valid_to IS NULL AND person_id = {after[0].PersonId}").Should().Be(2);
    }

    private static MainJobResult Run(DatasetLayout layout, string key) =>
        new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(layout.Root, key, Workers: 2), IRunProgress.Silent);

    private static void WriteExtract(DatasetLayout layout, FeedSchema schema, string fileName, IEnumerable<Dictionary<string, string>> rows)
    {
        var columns = schema.Columns.Select(c => c.Name).ToList();
        var lines = rows.Select(row => string.Join(",", columns.Select(c => row.GetValueOrDefault(c, ""))));
        File.WriteAllText(Path.Combine(layout.LandingFeed(schema.Feed), fileName), string.Join("\n", lines.Prepend(string.Join(",", columns))) + "\n");
    }

    private static List<(long PersonId, string Method)> Attendances(DatasetLayout layout, MainJobResult run)
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, layout, run.Snapshot.SnapshotId);
        using var command = db.CreateCommand();
        command.CommandText = "SELECT person_id, CASE WHEN match_uncertain THEN 'uncertain' ELSE link_method END FROM ae WHERE provider_code = 'RXX' ORDER BY ec_ident";
        using var reader = command.ExecuteReader();
        var result = new List<(long, string)>();
        while (reader.Read())
        {
            result.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return result;
    }
}
