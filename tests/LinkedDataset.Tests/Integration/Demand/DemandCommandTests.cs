using FluentAssertions;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Demand;

/// <summary><c>ldp demand</c> as a user types it, on the shared end-to-end run (3,000 people; 2025/26 is its complete year).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DemandCommandTests(EndToEndFixture run) : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private const string Scenario = """
        name: Test scenario
        horizon: 2030
        areas: [kent, Medway]
        baseline:
          split_by: efi_category
          pool_below_person_years: 50
        healthy_ageing:
          share: [0, 0.5]
          life_expectancy_gain_per_year: { male: 0.15, female: 0.12 }
        avoidance:
          - setting: emergency_admissions
            segments: [moderate, severe]
            share: [0.02, 0.08]
        shifts:
          - from: emergency_bed_days
            share: [0.05, 0.15]
            to:
              - setting: home_care
                per_unit: 0.15
        costs:
          real_growth: [0.01, 0.03]
        monte_carlo:
          runs: 20
          seed: 5
        """;

    /// <summary>The console wraps long lines at spaces; checks read the output as one line.</summary>
    private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private void EnsureMarts()
    {
        if (!File.Exists(Path.Combine(run.Layout.Marts(run.Result.Snapshot.SnapshotId), "marts.json")))
        {
            MartsBuilder.Build(new MartsOptions(run.Layout, run.Result.Snapshot.SnapshotId));
        }
    }

    [Fact]
    public void Demand_WritesProjectionCsvsAndAReportWithFanCharts_AndTheSameSeedGivesTheSameFigures()
    {
        EnsureMarts();
        var scenario = temp.Combine("test.yaml");
        File.WriteAllText(scenario, Scenario);

        var first = LdpProcess.Run("demand", "--scenario", scenario, "--data", run.Layout.Root, "--out", temp.Combine("a"));
        var second = LdpProcess.Run("demand", "--scenario", scenario, "--data", run.Layout.Root, "--out", temp.Combine("b"));

        first.ExitCode.Should().Be(0, first.ToString());
        OneLine(first.Stdout).Should().Contain("Scenario 'Test scenario': 2025/26").And.Contain("to 2030/31").And.Contain("principal run + 20 Monte Carlo runs, seed 5")
            .And.Contain("│ Total").And.Contain("emergency_beds").And.Contain("Waterfall 2025/26 → 2030/31");
        var projection = File.ReadAllLines(temp.Combine("a", "projection.csv"));
        // 6 years (2025/26 to 2030/31) × (19 settings + total), plus the header.
        projection.Should().HaveCount(1 + 6 * 20);
        File.ReadAllText(temp.Combine("b", "projection.csv")).Should().Be(File.ReadAllText(temp.Combine("a", "projection.csv")));

        // Kent and Medway have about 1.88 million people: emergency admissions in the base year are in the hundreds of thousands, not the thousands of the sample.
        var admissions = projection.Single(l => l.StartsWith("2025/26,emergency_admissions,", StringComparison.Ordinal)).Split(',');
        double.Parse(admissions[3], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(50_000);

        var report = File.ReadAllText(temp.Combine("a", "report.html"));
        System.Text.RegularExpressions.Regex.Matches(report, "<svg").Count.Should().BeGreaterThan(3, "a waterfall, a total cost fan and a fan per setting with activity");
        report.Should().Contain(run.Result.Snapshot.SnapshotId).And.Contain("snpp2022_kent_medway_males.csv").And.Contain("Fan charts").And.Contain("waterfall");

        // The baseline is the only file with counts from the linked data: released counts are 0 or multiples of 5, or suppressed (empty).
        var baseline = File.ReadAllLines(temp.Combine("a", "baseline.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        baseline.Should().NotBeEmpty();
        baseline.SelectMany(f => new[] { f[4], f[5], f[7] }).Where(v => v.Length > 0)
            .Should().OnlyContain(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) % 5 == 0);
    }

    [Fact]
    public void Demand_WithABadScenario_PrintsOneLineNamingFileLineAndField()
    {
        var scenario = temp.Combine("bad.yaml");
        File.WriteAllText(scenario, "name: bad\nhorizon: 2030\navoidance:\n  - setting: beds\n    share: 0.1\n");

        var output = LdpProcess.Run("demand", "--scenario", scenario, "--data", run.Layout.Root);

        output.ExitCode.Should().Be(1, output.ToString());
        OneLine(output.All).Should().Contain($"{scenario}: line 4, field 'avoidance[0].setting' is 'beds'; allowed: emergency_admissions").And.NotContain(" at LinkedDataset.");
        var missing = LdpProcess.Run("demand", "--scenario", temp.Combine("none.yaml"), "--data", run.Layout.Root);
        missing.ExitCode.Should().Be(1);
        OneLine(missing.All).Should().Contain("none.yaml: file not found");
    }
}
