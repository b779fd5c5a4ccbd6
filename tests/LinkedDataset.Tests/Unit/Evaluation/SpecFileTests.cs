using FluentAssertions;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Evaluation;

public class SpecFileTests
{
    [Fact]
    public void ShippedSpec_LoadsIntoTypedRecords()
    {
        var spec = EvaluationSpecFile.Load(Path.Combine(RepoPaths.Root, "schemas", "evaluations", "social_prescribing.yaml"));
        spec.Programme.Should().Be("SP");
        spec.Windows.Should().Be(new EventWindows(-9, -4, 3, 8, -3, 0), "two years of data fit: 9 months before and 8 after the index month");
        spec.Matching.Should().Be(new MatchingOptions(2, 0.2, true));
        spec.ExactOn.Should().Equal("sex");
        spec.NegativeControl.Should().Be("outpatient_attendances");
        spec.Money.Should().Be(new MoneyAssumptions(350, 3, 0.035, 0, 0, 0, 0.5));
    }

    [Fact]
    public void Spec_WithAWindowAfterTheIndex_IsRefusedNamingTheWindow()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("s.yaml");
        File.WriteAllText(path, "windows: { pre_from: -6, pre_to: 2 }\n");
        var load = () => EvaluationSpecFile.Load(path);
        load.Should().Throw<PipelineException>().WithMessage("*s.yaml: The pre-period must be months before the index month*-6 to 2*");
    }

    [Fact]
    public void ScenarioFile_SetsTheInterventionEffects()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("scenario.yaml");
        File.WriteAllText(path, "intervention: { referral_rate_per_1000_adults: 50, ae_rate_ratio: 1.0 }\n");
        var options = SyntheticOptions.FromScenarioFile(path);
        options.Intervention.ReferralRatePer1000Adults.Should().Be(50);
        options.Intervention.AeRateRatio.Should().Be(1.0);
    }
}
