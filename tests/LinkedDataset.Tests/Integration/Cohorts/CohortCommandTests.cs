using FluentAssertions;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Cohorts;

/// <summary><c>ldp cohort run</c>, <c>ldp cohort test</c> and <c>ldp measures</c> as a user types them, on the shared end-to-end snapshot (3,000 people, 13 months).</summary>
[Collection(EndToEndCollection.Name)]
public class CohortCommandTests
{
    private readonly EndToEndFixture run;

    public CohortCommandTests(EndToEndFixture run)
    {
        this.run = run;
        if (!File.Exists(Path.Combine(run.Layout.Marts(run.Result.Snapshot.SnapshotId), "marts.json")))
        {
            MartsBuilder.Build(new MartsOptions(run.Layout, run.Result.Snapshot.SnapshotId, Scorer: new RiskModel()));
        }
    }

    private static string Example(string file) => Path.Combine(ProjectPaths.SchemasRoot, "cohorts", file);

    [Theory]
    [InlineData("frail-75-plus-emergency")]
    [InlineData("ltc2-top5-cost")]
    [InlineData("telecare-fall")]
    [InlineData("social-prescribing")]
    public void CohortRun_BuildsTheExample_WithPersonTableAndAReportWithCharts(string name)
    {
        var output = LdpProcess.Run("cohort", "run", Example(name + ".cohort.yaml"), "--data", run.Layout.Root);

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain($"Cohort {name} on snapshot {run.Result.Snapshot.SnapshotId}").And.Contain("registered (population)");
        var folder = run.Layout.Cohort(name, run.Result.Snapshot.SnapshotId);
        File.Exists(Path.Combine(folder, "cohort.parquet")).Should().BeTrue();
        File.ReadAllText(Path.Combine(folder, "report", "report.html")).Should().Contain("<svg").And.Contain("Attrition").And.Contain("Table 1");
        File.ReadAllText(Path.Combine(folder, "report", "provenance.json")).Should().Contain("DefinitionSha256");
        File.ReadAllLines(Path.Combine(folder, "report", "attrition.csv"))[0].Should().Be("step,rule,kind,people,people_excluded,events,events_excluded,people_passing_rule_alone");
    }

    [Fact]
    public void Measures_Example_WritesEveryMonth_ByImdQuintile_WithAFunnelPlot()
    {
        var output = LdpProcess.Run("measures", Example("emergency-admissions-month-imd.measure.yaml"), "--data", run.Layout.Root);

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain("13 intervals").And.Contain("Practices compared:");
        var folder = run.Layout.Measure("emergency-admissions-month-imd", run.Result.Snapshot.SnapshotId);
        var lines = File.ReadAllLines(Path.Combine(folder, "measure.csv"));
        lines[0].Should().StartWith("interval,start,imd_quintile,group2,numerator,denominator,rate_per_1000");
        lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Should().HaveCount(13);
        File.ReadAllText(Path.Combine(folder, "report.html")).Should().Contain("<svg").And.Contain("Funnel plot");
        File.ReadAllLines(Path.Combine(folder, "practices.csv")).Length.Should().BeGreaterThan(1);
    }

    [Theory]
    [InlineData("frail-75-plus-emergency", 9)]
    [InlineData("ltc2-top5-cost", 40)]
    [InlineData("telecare-fall", 8)]
    [InlineData("social-prescribing", 6)]
    public void CohortTest_ShippedSidecar_Passes(string name, int people)
    {
        var output = LdpProcess.Run("cohort", "test", Example(name + ".test.yaml"));

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain($"Cohort test of {name} passed: {people} people as expected.");
    }

    [Fact]
    public void CohortTest_WrongExpectation_FailsNamingThePersonAndTheRule()
    {
        using var folder = new TempFolder();
        var wrong = folder.Combine("wrong.test.yaml");
        File.WriteAllText(wrong, File.ReadAllText(Example("frail-75-plus-emergency.test.yaml"))
            .Replace("cohort: frail-75-plus-emergency.cohort.yaml", "cohort: " + Example("frail-75-plus-emergency.cohort.yaml"))
            .Replace("expect: { in_cohort: false, excluded_by: 'no care home' }", "expect: { in_cohort: true }"));

        var output = LdpProcess.Run("cohort", "test", wrong);

        output.ExitCode.Should().Be(1);
        output.Stdout.Should().Contain("person 3: expected in cohort, was excluded by rule 'no care home'").And.Contain("1 of 9 people differ");
    }

    [Fact]
    public void BadInput_GivesOneLineNamingTheFile_AndANonZeroExit()
    {
        using var folder = new TempFolder();
        var bad = folder.Combine("bad.cohort.yaml");
        File.WriteAllText(bad, "name: bad\npopulation: { registered_on: 2025-04-01 }\nindex: { date: 2025-04-01 }\nrules:\n  - name: x\n    include: { activity: { setting: casualty }, window: { from: -30, to: -1 } }\n");

        var missing = LdpProcess.Run("cohort", "run", folder.Combine("nope.cohort.yaml"), "--data", run.Layout.Root);
        var invalid = LdpProcess.Run("cohort", "run", bad, "--data", run.Layout.Root);

        missing.ExitCode.Should().NotBe(0);
        missing.All.Should().Contain("nope.cohort.yaml: file not found").And.NotContain("   at ");
        invalid.ExitCode.Should().NotBe(0);
        invalid.All.Should().Contain("bad.cohort.yaml: line 6: rules[1].include.activity.setting: 'casualty' is not allowed").And.NotContain("   at ");
    }
}
