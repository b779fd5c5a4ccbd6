using System.Diagnostics;
using FluentAssertions;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Orchestration;

/// <summary>
/// A small fault-free synthetic landing folder (300 people, 2 months) with two things wrong, and two
/// <c>ldp run</c> processes started on it at once, as two operators might:
/// <list type="bullet">
/// <item>no admitted care (apc) extract at all, so the run's question cannot be answered;</item>
/// <item>one provider-month of one activity feed (the largest file) with blank NHS numbers and made-up
/// names and dates of birth, so its rows cannot link to a registered person and become provisional.</item>
/// </list>
/// </summary>
public sealed class TwoRunsFixture : IDisposable
{
    public TwoRunsFixture()
    {
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 300, Months = 2, Seed = 11, Faults = FaultRates.None,
            OutputFolder = Layout.Landing, TruthFolder = Folder.Combine("truth"),
        });
        Directory.Delete(Layout.LandingFeed("apc"), recursive: true);
        Mangled = Directory.GetFiles(Layout.Landing, "*.csv", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)!) is not ("pmi" or "_reference"))
            .OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).First();
        using (var db = DuckDb.OpenInMemory())
        {
            // Every identifier of the file's rows replaced: no NHS number, a name and date of birth nobody has.
            DuckDb.Execute(db, $"""
                CREATE TABLE f AS SELECT * FROM read_csv({Sql.Path(Mangled)}, header = true, all_varchar = true);
                UPDATE f SET nhs_number = NULL, given_name = 'QXV' || CAST(rowid AS VARCHAR), family_name = 'ZZYQ' || CAST(rowid AS VARCHAR),
                  date_of_birth = '1901-01-01', postcode = NULL;
                COPY f TO {Sql.Path(Mangled)} (HEADER, DELIMITER ',');
                """);
        }

        File.WriteAllBytes(KeyFile, Enumerable.Range(0, 32).Select(i => (byte)(i * 3 + 1)).ToArray());
        var first = Start();
        var second = Start();
        Runs = [Finish(first), Finish(second)];
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout => new(Folder.Combine("data"));

    public string KeyFile => Folder.Combine("test.key");

    /// <summary>The landing file whose identifiers were removed.</summary>
    public string Mangled { get; }

    public string MangledFeed => Path.GetFileName(Path.GetDirectoryName(Mangled)!);

    /// <summary>Provider and month of the mangled file (<c>feed_provider_YYYY-MM.csv</c>).</summary>
    public (string Provider, string Period) MangledCell =>
        (Path.GetFileNameWithoutExtension(Mangled).Split('_')[^2], Path.GetFileNameWithoutExtension(Mangled).Split('_')[^1]);

    public IReadOnlyList<LdpOutput> Runs { get; }

    public void Dispose() => Folder.Dispose();

    private Process Start()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ldp.dll"), "run", "--data", Layout.Root, "--key-file", KeyFile, "--workers", "1", "--memory-limit", "1GB" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["COLUMNS"] = "240";
        return Process.Start(start)!;
    }

    private static LdpOutput Finish(Process process)
    {
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new LdpOutput(process.ExitCode, stdout, stderr.Result);
        }
    }
}

public class LdpRunTests(TwoRunsFixture fixture) : IClassFixture<TwoRunsFixture>
{
    [Fact]
    public void TwoRunsAtOnce_OneWaitsForTheOther_AndTheFinalSnapshotIsTheOneASingleRunWrites()
    {
        fixture.Runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", fixture.Runs));
        fixture.Runs.Count(r => r.Stdout.Contains("Another ldp command is writing to")).Should().Be(1, "the second writer waits for the first and says so");
        fixture.Runs.Count(r => r.Stdout.Contains("(already published: same inputs)")).Should().Be(1, "the one that waited finds the snapshot the first wrote");
        fixture.Runs.Count(r => r.Stdout.Contains("Snapshot reused: nothing new was staged")).Should().Be(1, "with nothing new staged it reuses CURRENT instead of linking again");

        var snapshot = fixture.Layout.CurrentSnapshotId!;
        fixture.Runs.Should().OnlyContain(r => r.Stdout.Contains(snapshot));
        SnapshotVerifier.Verify(fixture.Layout.Snapshot(snapshot)).Problems.Should().BeEmpty();
        Directory.GetDirectories(fixture.Layout.Snapshots).Select(Path.GetFileName).Should().Equal(snapshot);
        SnapshotCatalog.List(fixture.Layout).Should().ContainSingle().Which.SnapshotId.Should().Be(snapshot);

        // The first run staged and published; the second, after waiting, only ran.
        AuditLog.For(fixture.Layout).ReadAll().Select(e => e.What).Should().Equal(AuditWhat.ExtractStaged, AuditWhat.SnapshotPublished, AuditWhat.Run, AuditWhat.Run);
        File.Exists(fixture.Layout.LockHolderFile).Should().BeFalse("the holder note goes with the lock");
    }

    [Fact]
    public void Run_WithNoAdmittedCareExtract_SaysWhichQuestionItCouldNotAnswer_PrintsTheSummary_AndBuildsTheMarts()
    {
        var run = fixture.Runs[0];
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("Not answered: emergency admissions per 1,000 population").And.Contain("admitted care (apc)");
        run.Stdout.Should().Contain("What happened, per feed").And.Contain("Time per stage");
        run.All.Should().NotContain("   at ", "no stack trace");
        var snapshot = fixture.Layout.CurrentSnapshotId!;
        MartsBuilder.Tables.Should().OnlyContain(
            t => Directory.EnumerateFiles(fixture.Layout.Marts(snapshot), "*.parquet", SearchOption.AllDirectories).Any(f => f.Contains(t)),
            "ldp run builds the marts, so analysis commands work right after it");
    }

    [Fact]
    public void PoorLinkageForOneProviderMonth_FiresTheDqLinkRateFlag_AndItsRowsAreProvisional_NotLinked()
    {
        var (provider, period) = fixture.MangledCell;
        var feed = fixture.MangledFeed;
        using var db = DuckDb.OpenInMemory();
        var matrix = Sql.Path(Path.Combine(fixture.Layout.Quality(fixture.Layout.CurrentSnapshotId!), "dq_matrix.parquet"));

        var flagged = Rows(db, $"SELECT feed || '|' || provider || '|' || period FROM read_parquet({matrix}) WHERE list_contains(string_split(flags, ';'), 'link_rate') ORDER BY 1");
        flagged.Should().Equal($"{feed}|{provider}|{period}");

        // Every row of the mangled file is provisional: link rate 0, provisional rate 1; elsewhere every row links (no faults).
        Rows(db, $"SELECT link_rate || '|' || provisional_rate FROM read_parquet({matrix}) WHERE feed = '{feed}' AND provider = '{provider}' AND period = '{period}'")
            .Should().Equal("0.0|1.0");
        Rows(db, $"SELECT DISTINCT link_rate || '|' || provisional_rate FROM read_parquet({matrix}) WHERE status = 'received' AND link_rate IS NOT NULL AND NOT (feed = '{feed}' AND provider = '{provider}' AND period = '{period}')")
            .Should().Equal("1.0|0.0");

        var rows = File.ReadLines(fixture.Mangled).Count() - 1;
        var feedRate = Rows(db, $"SELECT linked || '|' || provisional || '|' || rows FROM read_parquet({Sql.Path(Path.Combine(fixture.Layout.Snapshot(fixture.Layout.CurrentSnapshotId!), "linkage_feed_rate", "*.parquet"))}) WHERE feed = '{feed}'").Single().Split('|').Select(long.Parse).ToList();
        feedRate[1].Should().Be(rows, "the linkage report counts the mangled rows as provisional");
        feedRate[0].Should().Be(feedRate[2] - rows, "and only the other rows as linked");
        fixture.Runs[0].Stdout.Should().Contain("Provisional");
    }

    [Fact]
    public void Run_WithAnotherKey_IsRefused_PointingAtRekey_AndWritesNothing()
    {
        var other = fixture.Folder.Combine("other.key");
        File.WriteAllBytes(other, Enumerable.Repeat((byte)42, 32).ToArray());
        var before = FilesOutsideLogs(fixture.Layout);

        var run = LdpProcess.Run("run", "--data", fixture.Layout.Root, "--key-file", other);

        run.ExitCode.Should().Be(1, run.ToString());
        run.All.Should().Contain("built with key id " + PseudonymKey.FromFile(fixture.KeyFile).KeyId).And.Contain("ldp rekey");
        run.All.Should().NotContain("   at ");
        FilesOutsideLogs(fixture.Layout).Should().Be(before, "only logs (the run log and its error log) are new");
        DatasetIdentity.Read(fixture.Layout).Should().Be(new DatasetIdentity(PseudonymKey.FromFile(fixture.KeyFile).KeyId, false));
    }

    private static List<string> Rows(DuckDB.NET.Data.DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    private static int FilesOutsideLogs(DatasetLayout layout) =>
        Directory.GetFiles(layout.Root, "*", SearchOption.AllDirectories).Count(f => !f.StartsWith(layout.Logs, StringComparison.Ordinal));
}
