using FluentAssertions;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LinkedDataset.Tests.Integration.Linkage;

/// <summary>
/// The <c>hard</c> synthetic scenario (issue 11): 2,000 people over 3 months, NHS numbers often
/// missing or invalid, names swapped, typos in both names, nicknames, missing given names,
/// impossible dates of birth, moved postcodes, and a fifth of the records without a usable NHS
/// number with two or three identity fields corrupted at once. Linked by the real main job under
/// one key, and again from the same landing files under a second key.
/// </summary>
public sealed class HardLinkageFixture : IDisposable
{
    private readonly Lazy<MainJobResult> _secondKey;

    public HardLinkageFixture()
    {
        Synthetic = SyntheticGenerator.Generate(SyntheticOptions.FromScenarioFile(SyntheticOptions.HardScenario, new SyntheticOptions
        {
            People = 2_000,
            Months = 3,
            Seed = 23,
            EndMonth = new DateOnly(2025, 10, 1),
            OutputFolder = Layout.Landing,
            TruthFolder = TruthFolder,
        }));
        File.WriteAllBytes(Folder.Combine("first.key"), Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 1)).ToArray());
        File.WriteAllBytes(Folder.Combine("second.key"), Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray());
        Result = new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(Layout.Root, Folder.Combine("first.key"), Workers: 2), IRunProgress.Silent);
        Evaluation = TruthEvaluation.Evaluate(Layout, Result.Snapshot.SnapshotId, TruthFolder, FeedSchemaLoader.LoadAll());
        _secondKey = new(() =>
        {
            FolderCopy.Copy(Layout.Landing, SecondLayout.Landing);
            return new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(SecondLayout.Root, Folder.Combine("second.key"), Workers: 2), IRunProgress.Silent);
        });
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout => new(Folder.Combine("data"));

    public DatasetLayout SecondLayout => new(Folder.Combine("data-second-key"));

    public string TruthFolder => Folder.Combine("truth");

    public SyntheticResult Synthetic { get; }

    public MainJobResult Result { get; }

    public TruthEvaluationResult Evaluation { get; }

    /// <summary>The same landing files linked under another key (run on first use).</summary>
    public MainJobResult SecondKey => _secondKey.Value;

    public void Dispose() => Folder.Dispose();
}

public class HardLinkageTests(HardLinkageFixture run, ITestOutputHelper output) : IClassFixture<HardLinkageFixture>
{
    private static readonly string[] IdentityColumns = ["nhs_number", "given_name", "family_name", "date_of_birth", "sex", "postcode", "uprn"];

    [Fact]
    public void HardScenario_CorruptsTwoOrMoreIdentityFields_InAtLeast15PercentOfRecordsWithoutAnNhsNumber()
    {
        using var db = DuckDb.OpenInMemory();
        var share = DuckDb.Scalar<double>(db, $"""
            WITH f AS (SELECT * FROM read_csv({Sql.Path(Path.Combine(run.TruthFolder, "faults.csv"))}, header = true, all_varchar = true)),
            no_nhs AS (SELECT DISTINCT feed, provider_code, record_id FROM f WHERE fault IN ('missing_nhs_number', 'invalid_nhs_number')),
            fields AS (
              SELECT feed, provider_code, record_id, count(DISTINCT CASE
                  WHEN fault IN ('given_typo', 'given_nickname', 'given_missing') THEN 'given'
                  WHEN fault = 'family_typo' THEN 'family'
                  WHEN fault = 'names_swapped' THEN 'given+family'
                  WHEN fault LIKE 'dob%' THEN 'dob'
                  WHEN fault LIKE 'postcode%' THEN 'postcode' END) + count(*) FILTER (fault = 'names_swapped') AS corrupted
              FROM f GROUP BY ALL)
            SELECT avg(CASE WHEN coalesce(x.corrupted, 0) >= 2 THEN 1.0 ELSE 0.0 END) FROM no_nhs n LEFT JOIN fields x USING (feed, provider_code, record_id)
            """);
        output.WriteLine($"records without a usable NHS number with 2+ corrupted identity fields: {share:P1}");
        share.Should().BeGreaterThanOrEqualTo(0.15);
    }

    [Fact]
    public void Hard_MeetsPrecisionAndRecall_AgainstTheTruthFile()
    {
        var e = run.Evaluation;
        output.WriteLine($"needing linkage {e.NeedingLinkage}, linked {e.Linked}, correct {e.Correct}, precision {e.Precision:F4}, recall {e.Recall:F4}, blocking recall {e.BlockingRecall:F4}");
        foreach (var line in MissedByFaults())
        {
            output.WriteLine(line);
        }

        e.NeedingLinkage.Should().BeGreaterThan(200, "the fixture must send enough rows without a usable NHS number");
        e.Precision.Should().BeGreaterThanOrEqualTo(0.995);
        // Issue 11's targets. Measured 273 of 278 (0.982, seed 23) once the generator's family names are a
        // frequency-weighted pool of 2,500 (a rare name's agreement is worth up to 11 bits, not 6.7); on the
        // uniform pool of 107 names it was 272 (0.978). The 5 rows still lost have three of their four
        // identity fields corrupted or missing. Other seeds and 5,000 people gave 0.970-0.984 (docs/linkage.md,
        // "What was measured"): the target holds on this fixture, not yet robustly.
        e.Recall.Should().BeGreaterThanOrEqualTo(0.98);
        e.BlockingRecall.Should().NotBeNull().And.BeGreaterThanOrEqualTo(0.98).And.BeGreaterThanOrEqualTo(e.Recall);
    }

    [Fact]
    public void Hard_EstimatedMissedMatchRate_IsWithinAFactorOfTwoOfTheTrueRate()
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
        var estimated = DuckDb.Scalar<double>(db, "SELECT estimated_missed_match_rate FROM linkage_summary");
        var truth = run.Evaluation.MissedRate;
        output.WriteLine($"estimated missed-match rate {estimated:P3}, true {truth:P3}");
        estimated.Should().BeInRange(truth / 2, Math.Max(truth * 2, 0.001));
    }

    [Fact]
    public void NoActivityRow_IsQuarantinedForAnIdentityField_AndImpossibleDatesAreCounted()
    {
        var quarantine = Path.Combine(run.Layout.Root, "quarantine");
        using var db = DuckDb.OpenInMemory();
        var identityRejections = Directory.Exists(quarantine) && Directory.EnumerateFiles(quarantine, "*.parquet", SearchOption.AllDirectories).Any()
            ? DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(quarantine, "*", "*.parquet"))}) WHERE column_name IN ({string.Join(", ", IdentityColumns.Select(Sql.Literal))})")
            : 0;
        identityRejections.Should().Be(0);

        var reports = Directory.EnumerateFiles(run.Layout.Staging, "*.json", SearchOption.AllDirectories)
            .Select(ExtractStager.TryReadReport).OfType<StagingReport>().ToList();
        var impossible = reports.Sum(r => r.IdentityValuesMadeMissing.GetValueOrDefault("date_of_birth|" + IdentityReasons.InvalidDate));
        var logged = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_csv({Sql.Path(Path.Combine(run.TruthFolder, "faults.csv"))}, header = true, all_varchar = true) WHERE fault = 'dob_impossible'");
        output.WriteLine($"impossible dates of birth logged by the generator {logged}, made missing by staging {impossible}");
        logged.Should().BeGreaterThan(0);
        impossible.Should().BeGreaterThanOrEqualTo(logged, "every impossible date staged (duplicates and late copies may add more)");
    }

    [Fact]
    public void Report_LeavesOutComparisonsWithNoInformation_AndStatesTheMissedMatchMethod()
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM linkage_model WHERE used AND m > 0 AND u > 0").Should().BeGreaterThan(10);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM linkage_blocking WHERE pass = 2").Should().BeGreaterThan(0);
        DuckDb.Scalar<string>(db, "SELECT missed_match_method FROM linkage_summary").Should().Contain("second pass");
        var html = File.ReadAllText(Path.Combine(run.Layout.Snapshot(run.Result.Snapshot.SnapshotId), "linkage_report.html"));
        html.Should().Contain("How the missed-match rate is estimated").And.Contain("dob_postcode");
    }

    [Fact]
    public void TwoKeys_GiveIdenticalLinkDecisions()
    {
        var second = run.SecondKey;
        var first = Decisions(run.Layout, run.Result.Snapshot.SnapshotId);
        var other = Decisions(run.SecondLayout, second.Snapshot.SnapshotId);
        output.WriteLine($"{first.Count} rows; {first.Count(r => r.EndsWith("|probabilistic", StringComparison.Ordinal))} probabilistic");
        other.Should().Equal(first);
    }

    /// <summary>The faults of the rows needing linkage that were not linked to their person (diagnostics).</summary>
    private List<string> MissedByFaults()
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
        var schemas = FeedSchemaLoader.LoadAll();
        var rows = string.Join(" UNION ALL ", FeedSchemaLoader.FeedNames.Where(f => f != "pmi").Select(f =>
            $"SELECT '{f}' AS feed, provider_code, CAST({Sql.Identifier(schemas[f].RecordId)} AS VARCHAR) AS record_id, person_id, link_method, match_probability FROM {f}"));
        using var command = db.CreateCommand();
        command.CommandText = $"""
            WITH truth AS (SELECT * FROM read_csv({Sql.Path(Path.Combine(run.TruthFolder, "records.csv"))}, header = true, all_varchar = true)),
            faults AS (SELECT feed, provider_code, record_id, string_agg(fault, '+' ORDER BY fault) AS faults
                       FROM read_csv({Sql.Path(Path.Combine(run.TruthFolder, "faults.csv"))}, header = true, all_varchar = true) GROUP BY ALL),
            pt AS (SELECT DISTINCT r.person_id, t.person_key FROM registration r JOIN truth t ON t.feed = 'pmi' AND t.provider_code = r.practice_code AND t.record_id = CAST(r.registration_id AS VARCHAR)),
            x AS (SELECT x.*, t.person_key FROM ({rows}) x JOIN truth t USING (feed, provider_code, record_id) WHERE x.link_method <> 'deterministic')
            SELECT method || ' ' || faults || ': ' || n FROM (
              SELECT x.link_method AS method, coalesce(f.faults, '-') AS faults, count(*) AS n
              FROM x LEFT JOIN pt ON pt.person_id = x.person_id LEFT JOIN faults f USING (feed, provider_code, record_id)
              WHERE x.person_key IN (SELECT person_key FROM pt) AND (pt.person_key IS NULL OR pt.person_key <> x.person_key)
              GROUP BY 1, 2)
            ORDER BY n DESC, 1 LIMIT 40
            """;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    private static List<string> Decisions(DatasetLayout layout, string snapshotId)
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, layout, snapshotId);
        var schemas = FeedSchemaLoader.LoadAll();
        var rows = string.Join(" UNION ALL ", FeedSchemaLoader.FeedNames.Where(f => f != "pmi").Select(f =>
            $"SELECT '{f}' || '|' || provider_code || '|' || CAST({Sql.Identifier(schemas[f].RecordId)} AS VARCHAR) || '|' || person_id || '|' || coalesce(round(match_probability, 9)::VARCHAR, '-') || '|' || link_method AS d FROM {f}"));
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT d FROM ({rows}) ORDER BY d";
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
