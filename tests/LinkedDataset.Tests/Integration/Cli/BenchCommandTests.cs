using System.Text.Json;
using FluentAssertions;
using LinkedDataset.Pipeline.Orchestration;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Cli;

/// <summary>
/// <c>ldp bench</c> through the real command line, on a tiny population: it prints the figures of a
/// full and an incremental refresh against their floor and writes them as JSON for comparison across
/// commits. No assertion on any time: only that each figure is there and adds up.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Bench_PrintsAndWritesBothRefreshes_StepByStep_AgainstTheFloor()
    {
        var data = folder.Combine("data");

        var output = LdpProcess.Run("bench", "--people", "300", "--months", "2", "--data", data, "--workers", "2");

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain("Generated extracts for 300 people × 3 months")
            .And.Contain("full refresh:").And.Contain("incremental refresh:")
            .And.Contain(PipelineRun.StageStep).And.Contain("rows/s")
            .And.Contain("ratio to floor:").And.Contain("peak memory:").And.Contain("incremental / full wall time:");

        var json = Directory.GetFiles(Path.Combine(data, "bench"), "bench-*.json").Should().ContainSingle().Subject;
        output.Stdout.Should().Contain("figures: " + json);
        using var figures = JsonDocument.Parse(File.ReadAllText(json));
        var root = figures.RootElement;
        root.GetProperty("Parameters").GetProperty("people").GetString().Should().Be("300");

        // Two months for the full refresh, the third (generated for it) for the incremental one: every
        // extract file generated lands in exactly one of them.
        var extracts = Path.Combine(data, "bench", "extracts-300x3-seed42");
        var files = Directory.GetFiles(extracts, "*.csv", SearchOption.AllDirectories).Count(f => !f.Contains("_reference", StringComparison.Ordinal));
        var full = root.GetProperty("Full");
        var incremental = root.GetProperty("Incremental");
        (full.GetProperty("Files").GetInt32() + incremental.GetProperty("Files").GetInt32()).Should().Be(files);

        foreach (var refresh in new[] { full, incremental })
        {
            refresh.GetProperty("Rows").GetInt64().Should().BePositive();
            refresh.GetProperty("FloorSeconds").GetDouble().Should().BePositive();
            refresh.GetProperty("RatioToFloor").GetDouble().Should().BePositive();
            refresh.GetProperty("Steps").EnumerateArray().Select(s => s.GetProperty("Step").GetString()).Should().Equal(
                PipelineRun.ScanStep, PipelineRun.StageStep, PipelineRun.PublishStep, PipelineRun.MartsStep, PipelineRun.QualityStep);
        }

        // The floor really copied the files: one Parquet file per feed of each refresh.
        Directory.GetFiles(Path.Combine(data, "bench", "floor", "full"), "*.parquet").Should().NotBeEmpty();
        Directory.GetFiles(Path.Combine(data, "bench", "floor", "incremental"), "*.parquet").Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("--people", "5", "--people 5 is out of range: give 100 to 5,000,000.")]
    [InlineData("--months", "120", "--months 120 is out of range: give 1 to 119.")]
    [InlineData("--memory-limit", "lots", "--memory-limit 'lots' is not a memory size")]
    public void Bench_WithABadOption_SaysWhichInOneLine_BeforeAnyWork(string option, string value, string message)
    {
        var data = folder.Combine("data");

        var output = LdpProcess.Run("bench", "--data", data, option, value);

        output.ExitCode.Should().Be(2, output.ToString());
        var lines = output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle(output.ToString()).Which.Should().StartWith("error: ").And.Contain(message).And.Contain("ldp bench --help");
        Directory.Exists(data).Should().BeFalse("nothing was generated");
    }
}
