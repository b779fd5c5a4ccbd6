using System.Text.RegularExpressions;
using FluentAssertions;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>
/// A synthetic dataset (3,000 people × 8 months, default fault rates) with two problems injected:
/// outpatients from RWF for 2025-12 never arrive, and GP events from G82002 for 2025-11 arrive with
/// half their rows. <c>ldp run</c> then writes the data-quality matrix with the snapshot.
/// </summary>
public sealed class DqFixture : IDisposable
{
    public const string MissingFile = "op/op_RWF_2025-12.csv";
    public const string HalvedFile = "gp_event/gp_event_G82002_2025-11.csv";

    public DqFixture()
    {
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 3_000, Months = 8, Seed = 11, Faults = FaultRates.Default,
            OutputFolder = Layout.Landing, TruthFolder = Folder.Combine("truth"),
        });
        File.Delete(Path.Combine(Layout.Landing, MissingFile));
        var halved = Path.Combine(Layout.Landing, HalvedFile);
        var lines = File.ReadAllLines(halved);
        HalvedFrom = lines.Length - 1;
        File.WriteAllLines(halved, lines.Take(1).Concat(lines.Skip(1).Where((_, i) => i % 2 == 0)));
        File.WriteAllBytes(KeyFile, Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 2)).ToArray());
        Result = new MainJob(NullLoggerFactory.Instance).Run(
            new MainJobOptions(Layout.Root, KeyFile, Workers: 2, Limits: new DuckDbLimits(1, "1GB")) { Clock = new FixedClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)) },
            IRunProgress.Silent);
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout => new(Folder.Combine("data"));

    public string KeyFile => Folder.Combine("test.key");

    public int HalvedFrom { get; }

    public MainJobResult Result { get; }

    public void Dispose() => Folder.Dispose();
}

public class DqMatrixTests(DqFixture fixture) : IClassFixture<DqFixture>
{
    private static string Cell(DqCell c) => $"{c.Feed}|{c.Provider}|{c.Period}|{string.Join(",", c.Flags)}";

    [Fact]
    public void Dq_FlagsExactlyTheMissingProviderMonthAndTheHalvedVolume()
    {
        var matrix = fixture.Result.Quality!;

        matrix.Flagged.Select(Cell).Should().BeEquivalentTo("op|RWF|2025-12|missing", "gp_event|G82002|2025-11|volume_low");
        var halved = matrix.Cells.Single(c => c.Feed == "gp_event" && c.Provider == "G82002" && c.Period == "2025-11");
        halved.VolumeRatio.Should().BeApproximately(0.5, 0.15);
        matrix.Months.Should().HaveCount(8);
        matrix.Cells.Where(c => c.Status == DqMatrix.Received).Should().OnlyContain(c => c.RowsRead == c.RowsStaged + c.RowsQuarantined);
    }

    [Fact]
    public void Dq_IsWrittenWithTheSnapshot_AsParquetAndASelfContainedHtmlPage()
    {
        var folder = fixture.Layout.Quality(fixture.Result.Snapshot.SnapshotId);
        using var db = DuckDb.OpenInMemory();
        DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(folder, "dq_matrix.parquet"))})")
            .Should().Be(fixture.Result.Quality!.Cells.Count);
        DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(folder, "dq_matrix.parquet"))}) WHERE flags <> ''").Should().Be(2);

        var html = File.ReadAllText(Path.Combine(folder, "dq_matrix.html"));
        html.Should().Contain("<svg").And.Contain("G82002").And.Contain("volume_low");
        html.Should().NotContainAny("<script", "src=\"http", "href=\"http");
        Regex.IsMatch(html, @"\b\d{10}\b").Should().BeFalse("no NHS number-like value leaves in the page");
    }

    [Fact]
    public void Dq_ThresholdsChangedInTheConfigFile_AreReappliedWithoutRestaging()
    {
        var stagedAt = Directory.EnumerateFiles(fixture.Layout.Staging, "*.parquet", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var looser = Path.Combine(fixture.Folder.Path, "looser.yaml");
        File.WriteAllText(looser, File.ReadAllText(DqThresholds.DefaultPath).Replace("robust_z: 4.0", "robust_z: 1000"));

        var matrix = DqMatrix.Build(fixture.Layout, FeedSchemaLoader.LoadAll(), DqThresholds.Load(looser));

        matrix.Flagged.Select(Cell).Should().BeEquivalentTo("op|RWF|2025-12|missing");
        Directory.EnumerateFiles(fixture.Layout.Staging, "*.parquet", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc)
            .Should().BeEquivalentTo(stagedAt);
    }

    [Fact]
    public void LdpDq_PrintsTheFlaggedCells_ForANamedSnapshot()
    {
        var output = Ldp("dq", "--data", fixture.Layout.Root, "--snapshot", fixture.Result.Snapshot.SnapshotId);

        output.Should().Contain("1 missing").And.Contain("2 flagged").And.Contain("volume_low");
    }

    [Fact]
    public void LdpSnapshots_ListsTheSnapshotAsCurrent()
    {
        var output = Ldp("snapshots", "--data", fixture.Layout.Root);

        output.Should().Contain(fixture.Result.Snapshot.SnapshotId).And.Contain("*");
    }

    private static string Ldp(params string[] args)
    {
        var result = LdpProcess.Run(args);
        result.ExitCode.Should().Be(0, result.ToString());
        return Regex.Replace(result.Stdout, @"\s+", " ");
    }
}
