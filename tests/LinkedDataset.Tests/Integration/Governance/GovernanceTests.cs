using LinkedDataset.Analysis.Cohorts;
using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Orchestration;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Governance;

public class GovernanceTests
{
    // Five registered people (valid NHS numbers, Modulus 11 worked out: 4000000004, ...12, ...20, ...39, ...47)
    // and four admissions: three for people 1, 1 and 3, one with no NHS number (unlinked).
    private static readonly string[] NhsNumbers = ["4000000004", "4000000012", "4000000020", "4000000039", "4000000047"];

    private const string PmiHeader = "registration_id,provider_code,registration_start_date,registration_end_date,deregistration_reason,date_of_death,nhs_number,given_name,family_name,date_of_birth,sex,postcode,uprn";
    private const string ApcHeader = TestQueries.ApcHeader;

    internal static DatasetLayout LandFixture(TempFolder folder)
    {
        var layout = new DatasetLayout(folder.Combine("data"));
        var pmi = NhsNumbers.Select((n, i) => $"R{i + 1},G82001,2015-0{i + 1}-01,,,,{n},Given{(char)('A' + i)},Family{(char)('A' + i)},19{40 + i}-0{i + 1}-1{i},{1 + (i % 2)},CT1 1AA,10000000000{i}");
        Write(layout.LandingFeed("pmi"), "pmi_G82001_2025-04.csv", [PmiHeader, .. pmi]);
        Write(layout.LandingFeed("apc"), "apc_RVV_2025-04.csv",
        [
            ApcHeader,
            $"S1,RVV,2025-04-02,2025-04-05,21,1,I214,300,{NhsNumbers[0]},GivenA,FamilyA,1940-01-10,1,CT1 1AA,",
            $"S2,RVV,2025-04-10,2025-04-12,22,1,J440,300,{NhsNumbers[0]},GivenA,FamilyA,1940-01-10,1,CT1 1AA,",
            $"S3,RVV,2025-04-11,2025-04-11,11,2,K359,100,{NhsNumbers[2]},GivenC,FamilyC,1942-03-12,1,CT1 1AA,",
            "S4,RVV,2025-04-15,2025-04-16,21,1,J189,300,,Unknown,Person,1960-01-01,2,ME1 1AA,",
        ]);
        return layout;
    }

    private static void Write(string folder, string name, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), string.Join("\n", lines) + "\n");
    }

    internal static PublishResult StageAndPublish(DatasetLayout layout, PseudonymKey key)
    {
        var pipeline = new PipelineRun(new PipelineContext(layout, FeedSchemaLoader.LoadAll(), key, "test run") { Forms = FeedForms.AllIdentifiable });
        var run = pipeline.Run(workers: 1, IStepProgress.None);
        run.Stage.Reports.Should().OnlyContain(r => r.Status == StagingReport.Staged, "the fixture is valid");
        return run.Snapshot;
    }

    [Fact]
    public void Rekey_KeepsEveryPersonId_AndPublishesTheSameLinkedContentUnderTheNewKey()
    {
        using var folder = new TempFolder();
        var layout = LandFixture(folder);
        var oldKey = TestKeys.Write(folder, fill: 3, name: "old.key");
        var newKey = TestKeys.Write(folder, fill: 4, name: "new.key");
        var before = StageAndPublish(layout, oldKey);
        var oldLink = Rows(layout, $"SELECT person_token || '|' || person_id FROM read_parquet({Sql.Path(layout.LinkTable)}) ORDER BY person_id");

        var result = new Rekeyer(FeedSchemaLoader.LoadAll()).Rekey(new RekeyOptions(layout, oldKey, newKey, Forms: FeedForms.AllIdentifiable));

        result.Remapped.Should().Be(5, result.ToString());
        result.Retired.Should().Be(0);
        result.Snapshot.SnapshotId.Should().NotBe(before.SnapshotId);
        result.Snapshot.Manifest.KeyId.Should().Be(newKey.KeyId);
        layout.CurrentSnapshotId.Should().Be(result.Snapshot.SnapshotId);
        var newLink = Rows(layout, $"SELECT person_token || '|' || person_id FROM read_parquet({Sql.Path(layout.LinkTable)}) ORDER BY person_id");
        newLink.Select(r => r.Split('|')[1]).Should().Equal(oldLink.Select(r => r.Split('|')[1]), "every person keeps their person_id");
        newLink.Select(r => r.Split('|')[0]).Should().NotIntersectWith(oldLink.Select(r => r.Split('|')[0]), "the tokens are under the new key");

        foreach (var (table, order) in new[] { ("person", "person_id"), ("apc", "apcs_ident") })
        {
            var sql = $"SELECT * FROM read_parquet({{0}}, hive_partitioning = true) ORDER BY {order}";
            var old = Rows(layout, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, Sql.Path(Path.Combine(before.Path, table, "**", "*.parquet"))), all: true);
            var now = Rows(layout, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, Sql.Path(Path.Combine(result.Snapshot.Path, table, "**", "*.parquet"))), all: true);
            now.Should().Equal(old, $"the {table} table is the same under the new key").And.NotBeEmpty();
        }

        AuditLog.For(layout).ReadAll().Should().Contain(e => e.What == AuditWhat.Rekey && e.KeyId == oldKey.KeyId && e.NewKeyId == newKey.KeyId);

        // The dataset's identity moves with it: the new key is its key now, the old one is refused.
        DatasetIdentity.Read(layout)!.KeyId.Should().Be(newKey.KeyId);
        var withOldKey = () => new PipelineRun(new PipelineContext(layout, FeedSchemaLoader.LoadAll(), oldKey, "test run")).CheckKey();
        withOldKey.Should().Throw<PipelineException>().WithMessage($"This dataset was built with key id {newKey.KeyId}*ldp rekey*");
    }

    [Fact]
    public void ProjectExtracts_OfTheSameCohort_ShareNoPersonIds_AndAreEachConsistentAcrossTables()
    {
        using var folder = new TempFolder();
        var layout = LandFixture(folder);
        var key = TestKeys.Write(folder);
        StageAndPublish(layout, key);
        var cohort = folder.Combine("cohort.yaml");
        File.WriteAllText(cohort, "name: everyone\ndescription: everyone registered\npopulation: { registered_on: data_start }\nindex: { date: data_start }\n");
        var people = CohortRelease.Build(layout, cohort);
        string[] columns = ["person.birth_month,person.sex", "apc.admission_date", "apc.primary_diagnosis"];

        var a = ProjectExtractor.Extract(new ProjectExtractOptions(layout, key, "frailty-study", people, columns));
        var b = ProjectExtractor.Extract(new ProjectExtractOptions(layout, key, "ae-evaluation", people, columns));

        a.People.Should().Be(5);
        a.TableRows.Should().BeEquivalentTo(new Dictionary<string, long> { ["person"] = 5, ["apc"] = 3 });
        a.Folder.Should().StartWith(Path.Combine(layout.Root, "extracts", "frailty-study"));
        var idsA = Rows(layout, $"SELECT project_person_id FROM read_parquet({Sql.Path(Path.Combine(a.Folder, "person.parquet"))})");
        var idsB = Rows(layout, $"SELECT project_person_id FROM read_parquet({Sql.Path(Path.Combine(b.Folder, "person.parquet"))})");
        idsA.Should().HaveCount(5).And.OnlyHaveUniqueItems().And.NotIntersectWith(idsB);

        // Within one extract, person 1's two admissions and person 3's one carry their person-table ids.
        Rows(layout, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(a.Folder, "apc.parquet"))}) WHERE project_person_id NOT IN (SELECT project_person_id FROM read_parquet({Sql.Path(Path.Combine(a.Folder, "person.parquet"))}))")
            .Should().Equal("0");
        Rows(layout, $"SELECT count(DISTINCT project_person_id) FROM read_parquet({Sql.Path(Path.Combine(a.Folder, "apc.parquet"))})").Should().Equal("2");
        Rows(layout, $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Path(Path.Combine(a.Folder, "person.parquet"))}))")
            .Should().Equal("project_person_id", "birth_month", "sex");
        Rows(layout, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(a.Folder, "apc.parquet"))}) a JOIN read_parquet({Sql.Path(Path.Combine(b.Folder, "apc.parquet"))}) b USING (project_person_id)")
            .Should().BeEquivalentTo(new[] { "0" }, "two projects cannot join their extracts on person id");
        AuditLog.For(layout).ReadAll().Where(e => e.What == AuditWhat.Release).Select(e => e.Project).Should().Equal("frailty-study", "ae-evaluation");
    }

    [Fact]
    public void Extract_RefusesAnUnsafeProjectName_AndAnUnknownColumn()
    {
        using var folder = new TempFolder();
        var layout = LandFixture(folder);
        var key = TestKeys.Write(folder);
        StageAndPublish(layout, key);
        var cohort = folder.Combine("cohort.yaml");
        File.WriteAllText(cohort, "name: everyone\ndescription: everyone registered\npopulation: { registered_on: data_start }\nindex: { date: data_start }\n");
        var people = CohortRelease.Build(layout, cohort);

        var badName = () => ProjectExtractor.Extract(new ProjectExtractOptions(layout, key, "../escape", people, ["person.sex"]));
        var badColumn = () => ProjectExtractor.Extract(new ProjectExtractOptions(layout, key, "p1", people, ["person.date_of_birth"]));

        badName.Should().Throw<PipelineException>().WithMessage("*not allowed*");
        badColumn.Should().Throw<PipelineException>().WithMessage("*no column(s) date_of_birth*");
    }

    [Fact]
    public void AuditLog_RecordsRunsStagingPublishingAndReleases_WithIdsButNoIdentifiersTokensOrKeys()
    {
        using var folder = new TempFolder();
        var layout = LandFixture(folder);
        var key = TestKeys.Write(folder, fill: 9);
        StageAndPublish(layout, key);
        var cohort = folder.Combine("cohort.yaml");
        File.WriteAllText(cohort, "name: everyone\ndescription: everyone registered\npopulation: { registered_on: data_start }\nindex: { date: data_start }\n");
        var people = CohortRelease.Build(layout, cohort);
        var release = ProjectExtractor.Extract(new ProjectExtractOptions(layout, key, "p1", people, ["person.sex", "apc.*"]));

        var entries = AuditLog.For(layout).ReadAll();
        entries.Select(e => e.What).Should().Equal(AuditWhat.ExtractStaged, AuditWhat.SnapshotPublished, AuditWhat.Run, AuditWhat.Release);
        entries.Should().OnlyContain(e => e.KeyId == key.KeyId && e.WhenUtc.Offset == TimeSpan.Zero);
        entries[3].ReleaseId.Should().Be(release.ReleaseId);

        var text = File.ReadAllText(layout.AuditLog);
        var forbidden = new List<string>(NhsNumbers) { "GivenA", "FamilyA", "CT1 1AA", "1940-01-10", "100000000000", Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray()), "0909090909090909" };
        forbidden.AddRange(Rows(layout, $"SELECT person_token FROM read_parquet({Sql.Path(layout.LinkTable)})"));
        forbidden.AddRange(Rows(layout, $"SELECT project_person_id FROM read_parquet({Sql.Path(Path.Combine(release.Folder, "person.parquet"))})"));
        foreach (var value in forbidden)
        {
            text.Should().NotContainEquivalentOf(value);
        }

        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4).And.OnlyContain(l => l.StartsWith("{\"when_utc\":", StringComparison.Ordinal));
    }

    private static List<string> Rows(DatasetLayout layout, string sql, bool all = false)
    {
        _ = layout;
        using var db = DuckDb.OpenInMemory();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var count = all ? reader.FieldCount : 1;
            rows.Add(string.Join("|", Enumerable.Range(0, count).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
