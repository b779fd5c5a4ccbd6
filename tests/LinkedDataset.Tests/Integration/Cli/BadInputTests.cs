using FluentAssertions;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Cli;

/// <summary>
/// Misuse as a user commits it: each gives a non-zero exit code and one line on standard error that
/// says what is wrong and what to do, before any work starts, and never a stack trace.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string OneErrorLine(LdpOutput output, int exitCode)
    {
        output.ExitCode.Should().Be(exitCode, output.ToString());
        output.All.Should().NotContain("   at ", "no stack trace");
        var lines = output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle(output.ToString());
        lines[0].Should().StartWith("error: ");
        return lines[0];
    }

    [Fact]
    public void Run_WithABadMemoryLimit_FailsWhileParsing_BeforeGeneratingAnything()
    {
        var data = folder.Combine("data");

        var line = OneErrorLine(LdpProcess.Run("run", "--data", data, "--memory-limit", "banana", "--people", "100", "--months", "1"), 2);

        line.Should().Contain("--memory-limit 'banana' is not a memory size").And.Contain("e.g. 4GB").And.Contain("ldp run --help");
        Directory.Exists(data).Should().BeFalse("nothing was generated or created");
    }

    [Theory]
    [InlineData("--people", "5", "--people 5 is out of range: give 100 to 5,000,000.")]
    [InlineData("--months", "0", "--months 0 is out of range: give 1 to 120.")]
    [InlineData("--workers", "0", "--workers 0 is out of range: give 1 to 256.")]
    [InlineData("--bogus", "1", "Unrecognized command or argument '--bogus'")]
    public void Run_WithABadOption_SaysWhichAndWhatIsAllowed(string option, string value, string message)
    {
        var data = folder.Combine("data");

        OneErrorLine(LdpProcess.Run("run", "--data", data, option, value), 2).Should().Contain(message);
        Directory.Exists(data).Should().BeFalse();
    }

    [Fact]
    public void Run_OnAFolderThatCannotBeWritten_SaysSoBeforeAnyWork()
    {
        // Under a regular file (works as root too, where permissions do not stop writes) and on a read-only file system.
        var file = folder.Combine("a-file");
        File.WriteAllText(file, "");

        OneErrorLine(LdpProcess.Run("run", "--data", Path.Combine(file, "data")), 1).Should().Contain("cannot be written").And.Contain("Give --data a writable folder");
        OneErrorLine(LdpProcess.Run("run", "--data", "/proc/ldp-read-only-test"), 1).Should().Contain("/proc/ldp-read-only-test cannot be written");
    }

    [Theory]
    [InlineData("snapshots")]
    [InlineData("dq")]
    [InlineData("linkage-report")]
    [InlineData("marts")]
    [InlineData("cost-share")]
    [InlineData("risk-report")]
    public void ReadingCommands_OnAMissingDataFolder_SayWhichFolderAndWhatToDo(string command)
    {
        var missing = folder.Combine("nowhere");

        OneErrorLine(LdpProcess.Run(command, "--data", missing), 1).Should().Contain($"No dataset folder at {missing}").And.Contain("ldp run");
        Directory.Exists(missing).Should().BeFalse("a reading command creates nothing");
    }

    [Theory]
    [InlineData("dq")]
    [InlineData("linkage-report")]
    [InlineData("marts")]
    [InlineData("cost-share")]
    public void Commands_OnAnEmptyDataset_SayToRunFirst(string command)
    {
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(empty);

        OneErrorLine(LdpProcess.Run(command, "--data", empty), 1).Should().Contain("ldp run");
    }

    [Fact]
    public void Snapshots_OnAnEmptyDataset_SaysThereAreNone()
    {
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(empty);

        var output = LdpProcess.Run("snapshots", "--data", empty);

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain("No snapshot has been published").And.Contain("ldp run");
    }

    [Fact]
    public void MissingFiles_AreNamed()
    {
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(empty);
        var nokey = folder.Combine("no.key");

        OneErrorLine(LdpProcess.Run("rekey", "--data", empty, "--old-key-file", nokey, "--new-key-file", nokey), 1).Should().Contain(nokey).And.Contain("does not exist");
        OneErrorLine(LdpProcess.Run("pseudonymise", "--feed", "apc", "--key-file", nokey, folder.Combine("in.csv"), folder.Combine("out.csv")), 1).Should().Contain(nokey);
        OneErrorLine(LdpProcess.Run("synth", "--out", folder.Combine("s"), "--scenario", folder.Combine("none.yaml")), 1).Should().Contain("none.yaml: file not found");
    }

    [Fact]
    public void ADefinitionFileWithAMisspeltField_NamesFileLineAndField()
    {
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(empty);
        var thresholds = folder.Combine("thresholds.yaml");
        File.WriteAllText(thresholds, "completeness_min: 0.9\nlink_rate_mn: 0.8\n");

        OneErrorLine(LdpProcess.Run("dq", "--data", empty, "--thresholds", thresholds), 1)
            .Should().Contain($"{thresholds}: line 2, field 'link_rate_mn' is not a known field; allowed:");
    }
}
