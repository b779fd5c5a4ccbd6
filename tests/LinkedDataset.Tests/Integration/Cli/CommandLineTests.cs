using FluentAssertions;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Cli;

/// <summary>
/// Every <c>ldp</c> command as a user types it (a separate process through the real parser), on the
/// shared end-to-end dataset (3,000 people, 13 months): exit code and the lines a user relies on.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CommandLineTests(EndToEndFixture run)
{
    private string Data => run.Layout.Root;

    private static void ShouldBeClean(LdpOutput output)
    {
        output.All.Should().NotContain("   at ", "a user never sees a stack trace");
        output.All.Should().NotContain("Unhandled exception");
    }

    [Fact]
    public void Help_ListsEveryCommand()
    {
        var output = LdpProcess.Run("--help");

        output.ExitCode.Should().Be(0, output.ToString());
        foreach (var command in new[] { "run", "synth", "pseudonymise", "rekey", "extract", "serve", "snapshots", "dq", "linkage-report", "cohort", "measures", "marts", "risk-report", "cost-share" })
        {
            output.Stdout.Should().MatchRegex($@"(?m)^\s+{command}\b", command);
        }
    }

    [Fact]
    public void Run_AgainOnAPublishedDataset_IsANoOpAndPrintsTheAnswerAndSummary()
    {
        var output = LdpProcess.Run("run", "--data", Data, "--key-file", run.KeyFile, "--workers", "2");

        output.ExitCode.Should().Be(0, output.ToString());
        ShouldBeClean(output);
        output.Stdout.Should().Contain("Emergency admissions per 1,000 population");
        output.Stdout.Should().Contain($"Snapshot {run.Result.Snapshot.SnapshotId} (already published: same inputs)");
        output.Stdout.Should().Contain("not for release");
        output.Stdout.Should().MatchRegex(@"People in the person index: [\d,]*[05] \(rounded to 5\)");
    }

    [Fact]
    public void Snapshots_ListsTheCurrentOne_WithPeopleRounded()
    {
        var output = LdpProcess.Run("snapshots", "--data", Data);

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().MatchRegex($@"\*\s+│\s+{run.Result.Snapshot.SnapshotId}");
        output.Stdout.Should().Contain("people (rounded)").And.Contain("not for release");
        var people = run.Result.People;
        var rounded = (long)Math.Round(people / 5.0, MidpointRounding.AwayFromZero) * 5;
        output.Stdout.Should().Contain(rounded.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Dq_PrintsTheMatrixSummary_SaysNotForRelease_AndCleansStaleTemporaryFiles()
    {
        // A temporary file a full disk left an hour ago, and one a live writer is using now.
        var stale = Path.Combine(Data, "registry", ".landing_registry.json.tmp-deadbeef");
        var live = Path.Combine(Data, "registry", ".landing_registry.json.tmp-cafef00d");
        File.WriteAllText(stale, "");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        File.WriteAllText(live, "");

        var output = LdpProcess.Run("dq", "--data", Data);

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain($"Snapshot {run.Result.Snapshot.SnapshotId}").And.Contain("provider-months").And.Contain("not for release");
        File.Exists(stale).Should().BeFalse("a stale temporary file is cleaned by the next writer");
        File.Exists(live).Should().BeTrue("a fresh one may belong to a running writer");
        File.Delete(live);
    }

    [Fact]
    public void LinkageReport_PrintsLinkRatesAndPrecision_WithTheTruthFolder()
    {
        var output = LdpProcess.Run("linkage-report", "--data", Data, "--truth", run.TruthFolder);

        output.ExitCode.Should().Be(0, output.ToString());
        ShouldBeClean(output);
        output.Stdout.Should().Contain("deterministic").And.Contain("HTML report:").And.Contain("Against the truth file: precision");
    }

    [Fact]
    public void MartsThenCostShareAndRiskReport_AsAUserRunsThem()
    {
        var marts = LdpProcess.Run("marts", "--data", Data, "--threads", "2");
        marts.ExitCode.Should().Be(0, marts.ToString());
        marts.Stdout.Should().Contain($"Marts of snapshot {run.Result.Snapshot.SnapshotId}").And.Contain("person_year");

        var share = LdpProcess.Run("cost-share", "--data", Data);
        share.ExitCode.Should().Be(0, share.ToString());
        share.Stdout.Should().Contain("Total cost £k").And.Contain("money rounded to the nearest £100,000");

        // 13 months hold one complete financial year: the risk model cannot be fitted, and the user is told why.
        var risk = LdpProcess.Run("risk-report", "--data", Data);
        risk.ExitCode.Should().Be(1, risk.ToString());
        ShouldBeClean(risk);
        risk.Stderr.Should().Contain("error:").And.Contain("fewer than two complete financial years");
    }

    [Fact]
    public void Extract_ReleasesACohort_WithRoundedCounts()
    {
        using var folder = new TempFolder();
        var cohort = folder.Combine("everyone.yaml");
        File.WriteAllText(cohort, "where: \"true\"\n");

        var output = LdpProcess.Run("extract", "--data", Data, "--key-file", run.KeyFile, "--project", "cli-test", "--cohort", cohort, "--columns", "person.sex");

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().MatchRegex(@"Release \S+ for project cli-test from snapshot \S+: [\d,]*[05] people");
    }

    [Fact]
    public void PseudonymiseAndSynth_WorkOnFilesOutsideTheDataset()
    {
        using var folder = new TempFolder();
        var extract = Directory.EnumerateFiles(Path.Combine(Data, "landing", "apc"), "*.csv").Order(StringComparer.Ordinal).First();

        var pseudonymised = LdpProcess.Run("pseudonymise", "--feed", "apc", "--key-file", run.KeyFile, extract, folder.Combine("apc.csv"));
        var synth = LdpProcess.Run("synth", "--people", "100", "--months", "1", "--out", folder.Combine("synth"));

        pseudonymised.ExitCode.Should().Be(0, pseudonymised.ToString());
        pseudonymised.Stdout.Should().Contain("Pseudonymised");
        File.ReadLines(folder.Combine("apc.csv")).First().Should().Contain("person_token").And.NotContain("nhs_number");
        synth.ExitCode.Should().Be(0, synth.ToString());
        Directory.EnumerateFiles(folder.Combine("synth"), "*.csv", SearchOption.AllDirectories).Should().NotBeEmpty();
    }

    [Fact]
    public void Serve_StartsOnAFreePort_AndStops()
    {
        using var folder = new TempFolder();

        var (exit, output, ready) = LdpProcess.StartAndStop(
            "ldp dashboard on", TimeSpan.FromSeconds(90), "serve", "--port", "0", "--data", folder.Combine("data"), "--key-file", run.KeyFile, "--schedule", "ScanLanding=off");

        ready.Should().BeTrue(output);
        exit.Should().BeNull("it was still serving when stopped");
        output.Should().MatchRegex(@"ldp dashboard on http://127\.0\.0\.1:\d+");
    }

    [Theory]
    [InlineData("rekey")]
    [InlineData("cohort")]
    [InlineData("measures")]
    public void CommandsThatRewriteOrNeedDefinitions_PrintTheirHelp(string command)
    {
        var output = LdpProcess.Run(command, "--help");

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain("Usage:");
    }
}
