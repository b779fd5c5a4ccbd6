// Dapper's AOT analyzers (active in this project since the ASP.NET Core reference) ask for Dapper.AOT; these tests use plain Dapper.
#pragma warning disable DAP005, DAP028

using Dapper;
using FluentAssertions;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration.Marts;

/// <summary>Marts built from the shared end-to-end run's snapshot (3,000 people, 13 months, no faults).</summary>
[Collection(EndToEndCollection.Name)]
public class MartsIntegrationTests(EndToEndFixture run)
{
    private MartsResult BuildMarts() => MartsBuilder.Build(new MartsOptions(run.Layout, run.Result.Snapshot.SnapshotId, Scorer: new RiskModel()));

    [Fact]
    public void Marts_AreWrittenBesideTheSnapshot_WithOneRowPerPersonAndYear_AndEveryContactCosted()
    {
        var result = BuildMarts();

        result.Folder.Should().Be(run.Layout.Marts(run.Result.Snapshot.SnapshotId));
        File.Exists(Path.Combine(result.Folder, "marts.json")).Should().BeTrue();
        result.Rows["person_year"].Should().BeGreaterThan(2_000);
        using var db = DuckDb.OpenInMemory();
        MartsReader.CreateViews(db, run.Layout, result.SnapshotId);
        db.ExecuteScalar<long>("SELECT count(*) - count(DISTINCT (person_id, fin_year)) FROM person_year").Should().Be(0);
        db.ExecuteScalar<long>("SELECT count(*) FROM costed_activity WHERE cost IS NULL OR cost < 0 OR cost_basis IS NULL OR unit_cost_version IS NULL").Should().Be(0);
        db.ExecuteScalar<long>("SELECT count(*) FROM person_year WHERE segment IS NULL OR efi_category IS NULL OR efi_codelist_version IS NULL").Should().Be(0);
        db.ExecuteScalar<long>("SELECT count(DISTINCT segment) FROM person_year").Should().BeGreaterThan(3);

        // person_month holds exactly the costs of the window's days: per-day cost x days inside the window.
        var window = result.Window;
        var expected = db.ExecuteScalar<double>($"""
            SELECT sum(cost_per_day * greatest(0, datediff('day', greatest(start_date, DATE '{window.Start:yyyy-MM-dd}'), least(end_excl, DATE '{window.End.AddDays(1):yyyy-MM-dd}'))))
            FROM costed_activity
            """);
        db.ExecuteScalar<double>("SELECT sum(total_cost) FROM person_month").Should().BeApproximately(expected, expected * 1e-9);

        // Emergency admissions of the complete year equal the linked emergency spells admitted in it, of people in person_year.
        SnapshotReader.CreateViews(db, run.Layout, result.SnapshotId);
        var year = db.ExecuteScalar<int>("SELECT max(fin_year) FROM person_year WHERE year_complete");
        db.ExecuteScalar<long>($"SELECT CAST(sum(emergency_admissions) AS BIGINT) FROM person_year WHERE fin_year = {year}").Should().Be(db.ExecuteScalar<long>($"""
            SELECT count(*) FROM apc a SEMI JOIN (SELECT person_id FROM person_year WHERE fin_year = {year}) p USING (person_id)
            WHERE a.admission_method LIKE '2%' AND a.admission_date BETWEEN DATE '{year}-04-01' AND DATE '{year + 1}-03-31'
            """));
    }

    [Fact]
    public void Rebuild_GivesTheSameMarts_EveryColumnOfEveryTable()
    {
        // Keep the first build's Parquet files, rebuild, then compare each table as a multiset of whole
        // rows (every column) both ways: any changed value, extra or missing row makes a difference.
        var first = BuildMarts();
        using var copy = new LinkedDataset.Tests.Support.TempFolder();
        var tables = first.Rows.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var file in Directory.EnumerateFiles(first.Folder, "*.parquet", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(first.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var second = BuildMarts();

        second.Rows.Should().Equal(first.Rows);
        using var db = DuckDb.OpenInMemory();
        foreach (var table in tables)
        {
            string Read(string root) => $"read_parquet({Sql.Path(Path.Combine(root, table, "*.parquet"))})";
            Directory.Exists(Path.Combine(copy.Path, table)).Should().BeTrue($"{table} is written as a folder of Parquet files");
            var differing = db.ExecuteScalar<long>($"""
                SELECT count(*) FROM (
                  (SELECT * FROM {Read(copy.Path)} EXCEPT ALL SELECT * FROM {Read(second.Folder)})
                  UNION ALL
                  (SELECT * FROM {Read(second.Folder)} EXCEPT ALL SELECT * FROM {Read(copy.Path)}))
                """);
            differing.Should().Be(0, $"rebuilding {table} gives the same rows in every column");
        }
    }

    [Fact]
    public void CostShare_IsReleasedWithProtectedCounts_AndRiskReportSaysWhyThereIsNoModel()
    {
        BuildMarts();
        var share = CostConcentration.Compute(run.Layout, SdcPolicy.Default, 0.05, run.Result.Snapshot.SnapshotId);
        share.Years.Should().NotBeEmpty();
        share.Years.Should().OnlyContain(y => (y.People == null || y.People % 5 == 0) && y.TotalCostThousands % 100 == 0, "people rounded to 5, money to £100,000");
        share.Years.Where(y => y.Complete).Should().OnlyContain(y => y.TopShare > 0.05 && y.TopShare < 1);
        share.Policy.Should().Contain("money rounded to the nearest £100,000");

        // 13 months hold one complete financial year: no year pair to fit the model on.
        var report = () => RiskReport.Compute(run.Layout, SdcPolicy.Default, run.Result.Snapshot.SnapshotId);
        report.Should().Throw<PipelineException>().WithMessage("*fewer than two complete financial years*");
    }
}
