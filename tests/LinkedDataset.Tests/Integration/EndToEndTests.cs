using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration;

/// <summary>The whole path, synthetic extracts to a released answer, checked against the truth file.</summary>
[Collection(EndToEndCollection.Name)]
public class EndToEndTests(EndToEndFixture run)
{
    [Fact]
    public void Run_StagesEveryExtract_AndAccountsForEveryRow()
    {
        run.Result.Extracts.Should().NotBeEmpty().And.OnlyContain(e => e.Status == StagingReport.Staged);
        run.Result.Extracts.Should().OnlyContain(e => e.RowsRead == e.RowsStaged + e.RowsQuarantined);
        run.Result.Feeds.Sum(f => f.RowsRead).Should().Be(run.Synthetic.RowsPerFeed.Values.Sum());
    }

    [Fact]
    public void Run_LinksEveryActivityRow_WhenNoNhsNumberIsFaulty()
    {
        // With no injected faults every activity row belongs to someone registered at some point,
        // except activity of people who moved out before the first PMI... which the generator never sends.
        run.Result.Feeds.Where(f => f.Feed != "pmi" && f.ActivityRows > 0)
            .Should().OnlyContain(f => f.LinkedRows == f.ActivityRows);
    }

    [Fact]
    public void Answer_EqualsTheSameFigure_ComputedFromTheTruthFile()
    {
        var expected = TruthCells(out var start, out var end);
        run.Result.Answer!.WindowStart.Should().Be(start);
        run.Result.Answer!.WindowEnd.Should().Be(end);

        using (var db = DuckDb.OpenInMemory())
        {
            SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
            EmergencyAdmissionRates.Cells(db, start, end).Should().Equal(expected);
        }

        var released = DisclosureControl.ProtectRates(expected.Select(c => new RateCell([c.AgeBand, c.ImdQuintile], c.Admissions, c.Population)), SdcPolicy.Default);
        run.Result.Answer!.Cells.Should().BeEquivalentTo(released, o => o.WithStrictOrdering());
        expected.Sum(c => c.Admissions).Should().BeGreaterThan(50, "the fixture must be big enough for the comparison to mean something");
    }

    [Fact]
    public void Rerun_IsANoOp_AndGivesTheSameSnapshot()
    {
        var again = new LinkedDataset.Jobs.Runs.MainJob(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .Run(new LinkedDataset.Jobs.Runs.MainJobOptions(run.Layout.Root, run.KeyFile, Workers: 2), LinkedDataset.Jobs.Runs.IRunProgress.Silent);

        again.Extracts.Should().OnlyContain(e => e.Status == StagingReport.AlreadyStaged);
        again.Snapshot.SnapshotId.Should().Be(run.Result.Snapshot.SnapshotId);
        again.Snapshot.AlreadyPublished.Should().BeTrue();
        again.Answer!.Cells.Should().BeEquivalentTo(run.Result.Answer!.Cells, o => o.WithStrictOrdering());
    }

    /// <summary>
    /// The answer worked out from the generator's own files, without the pipeline: registrations and
    /// admissions from the extracts, the true person of each row from records.csv, birth month and
    /// IMD decile from people.csv. Re-sent records count once: the latest delivery, and within one
    /// delivery the ended version of a registration (a registration never un-ends).
    /// </summary>
    private List<AdmissionRateCell> TruthCells(out DateOnly start, out DateOnly end)
    {
        using var db = DuckDb.OpenInMemory();
        var landing = run.Layout.Landing;
        DuckDb.Execute(db, $"""
            CREATE TABLE records AS SELECT * FROM read_csv({Sql.Path(Path.Combine(run.TruthFolder, "records.csv"))}, header = true, all_varchar = true);
            CREATE TABLE people AS SELECT * FROM read_csv({Sql.Path(Path.Combine(run.TruthFolder, "people.csv"))}, header = true, all_varchar = true);
            CREATE TABLE regs AS
              SELECT r.person_key, CAST(x.registration_start_date AS DATE) AS s, CAST(x.registration_end_date AS DATE) AS e
              FROM (SELECT *, regexp_extract(filename, '_([0-9]+-[0-9]+)[.]csv$', 1) AS file_period
                    FROM read_csv({Sql.Path(Path.Combine(landing, "pmi", "*.csv"))}, header = true, all_varchar = true, filename = true)
                    QUALIFY row_number() OVER (PARTITION BY provider_code, registration_id ORDER BY file_period DESC, registration_end_date DESC NULLS LAST) = 1) x
              JOIN records r ON r.feed = 'pmi' AND r.provider_code = x.provider_code AND r.record_id = x.registration_id;
            CREATE TABLE nel AS
              SELECT r.person_key, CAST(x.admission_date AS DATE) AS d
              FROM (SELECT DISTINCT provider_code, apcs_ident, admission_date, admission_method
                    FROM read_csv({Sql.Path(Path.Combine(landing, "apc", "*.csv"))}, header = true, all_varchar = true)) x
              JOIN records r ON r.feed = 'apc' AND r.provider_code = x.provider_code AND r.record_id = x.apcs_ident
              WHERE x.admission_method LIKE '2%';
            """);
        var latest = DateOnly.FromDateTime(DuckDb.Scalar<DateTime>(db, "SELECT CAST(date_trunc('month', max(CAST(admission_date AS DATE))) AS TIMESTAMP) FROM read_csv(" + Sql.Path(Path.Combine(landing, "apc", "*.csv")) + ", header = true, all_varchar = true)"));
        start = latest.AddMonths(-11);
        end = latest.AddMonths(1).AddDays(-1);

        var cells = new Dictionary<(string, string), (long Admissions, long Population)>();
        using var command = db.CreateCommand();
        command.CommandText = $"""
            SELECT p.date_of_birth, p.imd_decile,
                   (SELECT count(*) FROM nel n WHERE n.person_key = p.person_key AND n.d BETWEEN DATE '{start:yyyy-MM-dd}' AND DATE '{end:yyyy-MM-dd}')
            FROM people p
            WHERE EXISTS (SELECT 1 FROM regs g WHERE g.person_key = p.person_key AND g.s <= DATE '{start:yyyy-MM-dd}' AND (g.e IS NULL OR g.e >= DATE '{start:yyyy-MM-dd}'))
              AND (p.date_of_death IS NULL OR CAST(p.date_of_death AS DATE) >= DATE '{start:yyyy-MM-dd}')
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var dob = DateOnly.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture);
            var age = ((start.Year * 12) + start.Month - ((dob.Year * 12) + dob.Month)) / 12;
            var band = EmergencyAdmissionRates.AgeBands.Last(b => age >= b.From).Label;
            var quintile = ((int.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture) + 1) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = (band, quintile);
            var (admissions, population) = cells.GetValueOrDefault(key);
            cells[key] = (admissions + reader.GetInt64(2), population + 1);
        }

        var order = EmergencyAdmissionRates.AgeBands.Select(b => b.Label).ToList();
        return cells.Select(c => new AdmissionRateCell(c.Key.Item1, c.Key.Item2, c.Value.Admissions, c.Value.Population))
            .OrderBy(c => order.IndexOf(c.AgeBand)).ThenBy(c => c.ImdQuintile, StringComparer.Ordinal).ToList();
    }
}
