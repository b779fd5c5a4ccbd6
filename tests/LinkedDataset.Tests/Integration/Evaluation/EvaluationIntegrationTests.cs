using FluentAssertions;
using Xunit.Abstractions;

namespace LinkedDataset.Tests.Integration.Evaluation;

/// <summary>The evaluation finds the effect the generator injected, and the naive before/after does not.</summary>
[Collection(EvaluationCollection.Name)]
public class EvaluationIntegrationTests(EvaluationFixture run, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void MatchedDid_IntervalContainsTheInjectedRateRatio_ForAeAndGp(ulong seed)
    {
        var r = run.Results[seed];
        foreach (var o in r.Outcomes)
        {
            output.WriteLine($"seed {seed} {o.Measure.Name}: sets {o.All.Sets}, effect {o.All.Effect}, RR {o.All.RateRatio}, naive RR {o.All.NaiveRateRatio.Value:F3} ({run.Elapsed.TotalSeconds:F0} s for the fixture)");
        }

        r.Outcomes.Single(o => o.Measure.Name == "ae_attendances").All.RateRatio.Contains(0.8).Should().BeTrue("A&E rate ratio injected 0.8");
        r.Outcomes.Single(o => o.Measure.Name == "gp_appointments").All.RateRatio.Contains(0.85).Should().BeTrue("GP rate ratio injected 0.85");
        r.Matching.Sets.Count.Should().BeGreaterThan(200);
    }

    [Fact]
    public void NaiveBeforeAfter_OverstatesTheReduction_AsRegressionToTheMeanPredicts()
    {
        // People are referred during a temporary spike in use (×3 for 2–3 months), part of which falls in the quarter up to
        // the index month. The naive rate ratio (post-period over that quarter) is below the truth and below the matched
        // estimate on average over the seeds. Measured (comparators censored before the crisis of their own referral):
        // A&E naive 0.80, 0.72, 0.60 (matched 0.91, 0.89, 0.72; truth 0.8); GP naive 0.86, 0.80, 0.80 (matched 0.96, 0.90, 0.86; truth 0.85).
        // With no true effect the A&E effects are +0.03, +0.04, −0.11 per person-year.
        foreach (var (name, truth) in new[] { ("ae_attendances", 0.8), ("gp_appointments", 0.85) })
        {
            var estimates = EvaluationFixture.Seeds.Select(s => run.Results[s].Outcomes.Single(o => o.Measure.Name == name).All).ToList();
            foreach (var e in estimates)
            {
                output.WriteLine($"{name}: naive RR {e.NaiveRateRatio.Value:F3}, matched RR {e.RateRatio}");
            }

            estimates.Average(e => e.NaiveRateRatio.Value).Should().BeLessThan(truth, name);
            estimates.Average(e => e.NaiveRateRatio.Value).Should().BeLessThan(estimates.Average(e => e.RateRatio.Value), name);
        }
    }

    [Fact]
    public void WithNoTrueEffect_IntervalsContainZero_AndTheNegativeControlPasses()
    {
        // Six 95 % intervals (3 seeds × A&E, GP): if they are calibrated, two or more misses has probability ~3 %.
        var misses = 0;
        foreach (var seed in EvaluationFixture.Seeds)
        {
            foreach (var o in run.NullResults[seed].Outcomes)
            {
                output.WriteLine($"null seed {seed} {o.Measure.Name}: effect {o.All.Effect}");
                misses += o.All.Effect.Contains(0) ? 0 : 1;
            }
        }

        misses.Should().BeLessThanOrEqualTo(1);
        foreach (var seed in EvaluationFixture.Seeds)
        {
            run.Results[seed].Diagnostics.Single(d => d.Name == "negative control").Pass.Should().BeTrue($"seed {seed}");
            run.NullResults[seed].Diagnostics.Single(d => d.Name == "negative control").Pass.Should().BeTrue($"seed {seed}");
        }
    }

    [Fact]
    public void Diagnostics_BalanceIsAchieved_AndTheEventStudyShowsTheCrisisBeforeIndex()
    {
        var r = run.Results[1];
        r.Balance.Should().OnlyContain(b => Math.Abs(b.SmdAfter) < 0.1, "matching balances every covariate");
        r.Matching.DroppedByCaliper.Should().BeLessThan(r.Matching.Treated / 10);

        // The months just before the index hold the crisis that prompted referral: treated GP use is above the pre-period there.
        var gp = r.Outcomes.Single(o => o.Measure.Name == "gp_appointments").All.EventStudy;
        gp.Where(e => e.Month is >= -2 and <= -1).Average(e => e.Effect.Value).Should().BeGreaterThan(0);
        gp.Where(e => e.Month is >= 3 and <= 8).Average(e => e.Effect.Value).Should().BeLessThan(0);
    }
}
