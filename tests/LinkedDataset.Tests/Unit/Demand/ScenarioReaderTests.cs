using FluentAssertions;
using LinkedDataset.Analysis.Demand;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Demand;

public sealed class ScenarioReaderTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static string Example(string name) => Path.Combine(ProjectPaths.SchemasRoot, "scenarios", name);

    private string Write(string yaml)
    {
        var path = temp.Combine("scenario.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void ExampleScenario_ReadsIntoTypedLevers()
    {
        var loaded = ScenarioReader.Read(Example("frailty_home_first.yaml"));
        var s = loaded.Scenario;

        s.Horizon.Should().Be(2035);
        s.Areas.Should().Equal("kent", "Medway");
        s.Baseline.Split.Should().Be(BaselineSplit.EfiCategory);
        s.Projections.Single().Files.Should().OnlyContain(f => File.Exists(f));
        s.HealthyAgeing!.Share.Should().Be(new Interval(0, 0.5));
        s.Shifts.Single().To.Select(t => t.Setting).Should().Equal("home_care", "community_contacts");
        s.Shifts.Single().Cells.AgeBands.Should().Equal("75-84", "85+");
        s.Interventions.Single().Effect.Should().Be(new Interval(0.05, 0.15));
        s.Costs.PriceYear.Should().Be("2025/26");
        s.MonteCarlo.Should().Be(new MonteCarloSpec(500, 20260401, true));
        loaded.Sha256.Should().MatchRegex("^[0-9a-f]{64}$");

        var plain = ScenarioReader.Read(Example("demographic_only.yaml")).Scenario;
        plain.Projections.Single().Name.Should().StartWith("ONS 2022-based SNPP");
        plain.Avoidance.Should().BeEmpty();
        plain.Capacity.Should().Be(new CapacitySpec(0.92, 30, 10));
    }

    [Theory]
    [InlineData("avoidance:\n  - setting: emergency_admisions\n    share: 0.1\n", 4, "avoidance[0].setting", "is 'emergency_admisions'; allowed: emergency_admissions")]
    [InlineData("avoidance:\n  - setting: ae_attendances\n    share: [0.3, 0.1]\n", 5, "avoidance[0].share", "is [0.3, 0.1]; give the low end first")]
    [InlineData("avoidance:\n  - setting: ae_attendances\n    share: 1.5\n", 5, "avoidance[0].share", "is 1.5; a share is between 0 and 1")]
    [InlineData("avoidance:\n  - setting: ae_attendances\n    segments: [severe]\n    share: 0.1\n", 5, "avoidance[0].segments[0]", "is 'severe', but the baseline is not split")]
    [InlineData("shifts:\n  - from: emergency_bed_days\n    share: 0.1\n    to:\n      - setting: home_care\n        per_unit: lots\n", 8, "shifts[0].to[0].per_unit", "needs a number or [low, high], got 'lots'")]
    [InlineData("costs:\n  price_year: 1999/00\n", 4, "costs.price_year", "is '1999/00'; the inflation index")]
    [InlineData("projections:\n  - name: high\n    files: [no_such_file.csv]\n", 5, "projections[0].files[0]", "names 'no_such_file.csv', which is neither beside the scenario file nor in schemas/reference/population/")]
    public void BadScenario_NamesFileLineAndField(string levers, int line, string field, string what)
    {
        var path = Write("name: test\nhorizon: 2030\n" + levers);

        var read = () => ScenarioReader.Read(path);

        read.Should().Throw<PipelineException>().Which.Message.Should().StartWith($"{path}: line {line}, field '{field}' {what}");
    }

    [Fact]
    public void UnknownOrMissingFields_AreRefusedByTheYamlLoader()
    {
        var unknown = () => ScenarioReader.Read(Write("name: test\nhorizon: 2030\nhorizn: 2031\n"));
        unknown.Should().Throw<PipelineException>().WithMessage("*line 3, field 'horizn' is not a known field*");

        var missing = () => ScenarioReader.Read(Write("name: test\n"));
        missing.Should().Throw<PipelineException>().WithMessage("*field 'horizon' is required but missing*");
    }

    [Fact]
    public void EffectFromAnEvaluationResult_BecomesAnEightyPercentReductionInterval()
    {
        // Evaluation: A&E attendances −0.2 (95 % −0.3 to −0.1) among participants. Reduction 0.2; 95 % half-width 0.1 =
        // 1.96 sd, so the 80 % half-width is 0.1 / 1.96 × 1.2816 = 0.065388: [0.134612, 0.265388].
        File.WriteAllText(temp.Combine("evaluation.csv"), "outcome,estimate,ci_low,ci_high\ngp_appointments,0.01,-0.05,0.07\nae_attendances,-0.2,-0.3,-0.1\n");
        var s = ScenarioReader.Read(Write("""
            name: test
            horizon: 2030
            interventions:
              - name: social prescribing
                setting: ae_attendances
                reach: 0.1
                effect_file: evaluation.csv
            """)).Scenario;

        var effect = s.Interventions.Single().Effect;
        effect.Lo.Should().BeApproximately(0.2 - 0.1 / 1.96 * 1.2816, 1e-12);
        effect.Hi.Should().BeApproximately(0.2 + 0.1 / 1.96 * 1.2816, 1e-12);
        s.Interventions.Single().EffectSource.Should().Contain("evaluation.csv: ae_attendances -0.2");
    }
}
