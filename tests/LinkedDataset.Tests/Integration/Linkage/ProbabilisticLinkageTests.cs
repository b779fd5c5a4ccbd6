using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LinkedDataset.Tests.Integration.Linkage;

/// <summary>
/// 5,000 people over 6 months with NHS number faults raised (so several thousand rows need
/// probabilistic linkage, most in social care, telecare and mental health), name typos, transposed
/// dates of birth and changed postcodes; linked by the real main job and judged against the truth file.
/// </summary>
public sealed class ProbabilisticLinkageFixture : IDisposable
{
    public ProbabilisticLinkageFixture()
    {
        Synthetic = SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 5_000,
            Months = 6,
            Seed = 11,
            Faults = FaultRates.Default with { MissingNhsNumber = 0.05, InvalidNhsNumber = 0.02, NameTypo = 0.03, DobTransposed = 0.01, PostcodeChanged = 0.03 },
            OutputFolder = Layout.Landing,
            TruthFolder = TruthFolder,
        });
        File.WriteAllBytes(KeyFile, Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 1)).ToArray());
        Result = new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(Layout.Root, KeyFile, Workers: 2), IRunProgress.Silent);
        Evaluation = TruthEvaluation.Evaluate(Layout, Result.Snapshot.SnapshotId, TruthFolder, FeedSchemaLoader.LoadAll());
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout => new(Folder.Combine("data"));

    public string TruthFolder => Folder.Combine("truth");

    public string KeyFile => Folder.Combine("test.key");

    public SyntheticResult Synthetic { get; }

    public MainJobResult Result { get; }

    public TruthEvaluationResult Evaluation { get; }

    public void Dispose() => Folder.Dispose();
}

public class ProbabilisticLinkageTests(ProbabilisticLinkageFixture run, ITestOutputHelper output) : IClassFixture<ProbabilisticLinkageFixture>
{
    [Fact]
    public void ProbabilisticLinks_MeetPrecisionAndRecall_AgainstTheTruthFile()
    {
        var e = run.Evaluation;
        output.WriteLine($"needing linkage {e.NeedingLinkage}, linked {e.Linked}, correct {e.Correct}, precision {e.Precision:F4}, recall {e.Recall:F4}; certain {e.LinkedCertain}/{e.CorrectCertain}");
        e.NeedingLinkage.Should().BeGreaterThan(1_000, "the fixture must send enough rows without a usable NHS number");
        e.Precision.Should().BeGreaterThanOrEqualTo(0.995);
        e.Recall.Should().BeGreaterThanOrEqualTo(0.98);
    }

    [Fact]
    public void EveryActivityRow_CarriesAPersonAMethodAndAProbability()
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(f => f != "pmi"))
        {
            DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {feed} WHERE person_id IS NULL").Should().Be(0, feed);
            DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {feed} WHERE link_method NOT IN ('deterministic', 'probabilistic', 'provisional')").Should().Be(0, feed);
            DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {feed} WHERE link_method <> 'provisional' AND NOT match_probability BETWEEN 0 AND 1").Should().Be(0, feed);
            DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {feed} WHERE person_id NOT IN (SELECT person_id FROM person)").Should().Be(0, feed);
        }

        // The linkage report's counts of token sets (second_pass_token_sets, token_sets_over_cap) are numbers, not tokens.
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM information_schema.columns WHERE (column_name LIKE '%token%' AND data_type = 'VARCHAR') OR column_name LIKE 'mt\\_%' ESCAPE '\\'").Should().Be(0);
    }

    [Fact]
    public void Report_IsWrittenWithTheSnapshot_WithModelAndRates()
    {
        var folder = run.Layout.Snapshot(run.Result.Snapshot.SnapshotId);
        var html = File.ReadAllText(Path.Combine(folder, "linkage_report.html"));
        html.Should().Contain("<svg").And.Contain("given_name").And.Contain("probabilistic");
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM linkage_model WHERE m > 0 AND u > 0").Should().Be(Comparisons.All.Sum(c => c.Levels.Count));
        DuckDb.Scalar<double>(db, "SELECT estimated_false_match_rate FROM linkage_summary").Should().BeInRange(0, 0.05);
    }

    [Fact]
    public void Households_AreOnThePersonTable_WithoutTheToken()
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, run.Layout, run.Result.Snapshot.SnapshotId);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM person WHERE NOT provisional AND household_id IS NULL").Should().Be(0);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM person WHERE lives_alone AND household_size <> 1").Should().Be(0);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM person WHERE household_size > 1").Should().BeGreaterThan(1_000);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM person WHERE lives_with_65_plus").Should().BeGreaterThan(0);
    }
}
