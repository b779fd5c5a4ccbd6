using FluentAssertions;
using LinkedDataset.Analysis.Evaluation;

namespace LinkedDataset.Tests.Unit.Evaluation;

public class BalanceAndMatchingTests
{
    [Fact]
    public void Smd_IsTheMeanDifferenceOverThePooledStandardDeviation()
    {
        // Treated ages 60, 70, 80: mean 70, population variance 200/3.
        // Comparators 50, 60, 70: mean 60, variance 200/3. Pooled SD = sqrt(200/3) = 8.1650.
        // SMD = (70 - 60) / 8.1650 = 1.2247.
        double[] treated = [60, 70, 80], comparators = [50, 60, 70];
        var sd = Balance.PooledSd(treated, comparators);
        sd.Should().BeApproximately(Math.Sqrt(200.0 / 3), 1e-12);
        Balance.Smd(treated.Average(), comparators.Average(), sd).Should().BeApproximately(1.224745, 1e-6);

        // After matching, comparators weighted 1/2, 1/2, 1: weighted mean (25 + 30 + 70) / 2 = 62.5; SMD (70 - 62.5) / 8.1650 = 0.9186.
        var after = Balance.WeightedMean(comparators, [0.5, 0.5, 1]);
        after.Should().Be(62.5);
        Balance.Smd(70, after, sd).Should().BeApproximately(0.918559, 1e-6);
        new CovariateBalance("age", 70, 60, 69.5, 1.22, 0.0612).Balanced.Should().BeTrue();
        new CovariateBalance("age", 70, 60, 69, 1.22, -0.1).Balanced.Should().BeFalse("|SMD| must be below 0.1");
    }

    [Fact]
    public void Matching_TakesTheNearestComparatorsOnTheLogit_WithinTheCaliper_InTheSameIndexMonth()
    {
        // Logits: treated A 0.0 and B 1.0 (month 100); comparators c1 -0.1, c2 0.25, c3 0.9, c4 3.0 in month 100, c5 0.0 in month 101.
        // Pooled SD of the logit: treated {0, 1} variance 0.25; comparators {-0.1, 0.25, 0.9, 3.0, 0.0} mean 0.81,
        // variance (0.8281 + 0.3136 + 0.0081 + 4.7961 + 0.6561) / 5 = 1.3204; pooled SD = sqrt((0.25 + 1.3204) / 2) = 0.88614;
        // caliper 0.2 SD = 0.17723.
        // B (largest first): nearest c3 (0.1 away). A: nearest c1 (0.1 away); c2 is 0.25 away, outside; c5 is another month.
        MatchCandidate[] treated = [new(1, 100, "", 0.0), new(2, 100, "", 1.0)];
        MatchCandidate[] pool = [new(11, 100, "", -0.1), new(12, 100, "", 0.25), new(13, 100, "", 0.9), new(14, 100, "", 3.0), new(15, 101, "", 0.0)];
        var result = NearestNeighbourMatcher.Match(treated, pool, new MatchingOptions(Ratio: 2, CaliperSd: 0.2, Replacement: true));

        result.Caliper.Should().BeApproximately(0.2 * Math.Sqrt((0.25 + 1.3204) / 2), 1e-9);
        result.Sets.Should().HaveCount(2);
        result.Sets[0].TreatedId.Should().Be(2);
        result.Sets[0].ComparatorIds.Should().Equal(13);
        result.Sets[1].TreatedId.Should().Be(1);
        result.Sets[1].ComparatorIds.Should().Equal(11);
        result.ShortOfRatio.Should().Be(2, "each found one comparator of the two asked for");
        result.DroppedByCaliper.Should().Be(0);
    }

    [Fact]
    public void Matching_DropsTreatedWithNothingWithinTheCaliper_AndWithoutReplacementUsesEachComparatorOnce()
    {
        // Two treated at logit 0.0 and one comparator at 0.05, another at 2.0: caliper 0.2 × pooled SD.
        // Treated variance 0; comparators {0.05, 2.0} variance 0.950625; pooled SD sqrt(0.4753125) = 0.68943; caliper 0.13789.
        MatchCandidate[] treated = [new(1, 5, "", 0.0), new(2, 5, "", 0.0)];
        MatchCandidate[] pool = [new(11, 5, "", 0.05), new(12, 5, "", 2.0)];
        var without = NearestNeighbourMatcher.Match(treated, pool, new MatchingOptions(CaliperSd: 0.2, Replacement: false));
        without.Sets.Should().ContainSingle().Which.ComparatorIds.Should().Equal(11);
        without.Sets[0].TreatedId.Should().Be(1, "ties in the logit go by person id");
        without.DroppedByCaliper.Should().Be(1);

        var with = NearestNeighbourMatcher.Match(treated, pool, new MatchingOptions(CaliperSd: 0.2, Replacement: true));
        with.Sets.Should().HaveCount(2).And.OnlyContain(s => s.ComparatorIds.Single() == 11);
        with.DroppedByCaliper.Should().Be(0);
    }

    [Fact]
    public void Matching_IsExactWithinTheStratum()
    {
        // The other strata hold identical logits; only 12 (0.1 away, inside 5 SD = 5 × 0.0333) shares the treated person's stratum.
        MatchCandidate[] treated = [new(1, 5, "2|65-74", 0.0)];
        MatchCandidate[] pool = [new(11, 5, "1|65-74", 0.0), new(12, 5, "2|65-74", 0.1), new(13, 5, "2|75-84", 0.0)];
        NearestNeighbourMatcher.Match(treated, pool, new MatchingOptions(CaliperSd: 5)).Sets.Single().ComparatorIds.Should().Equal(12);
    }

    [Fact]
    public void Equipoise_CountsPreferenceScoresBetween03And07()
    {
        // Half treated: the preference score is the propensity score. Logits 0 (0.5), 0.5 (0.62), 2 (0.88), -2 (0.12): two of four in 0.3-0.7.
        MatchCandidate[] treated = [new(1, 0, "", 0), new(2, 0, "", 2)];
        MatchCandidate[] pool = [new(3, 0, "", 0.5), new(4, 0, "", -2)];
        Evaluator.Equipoise(treated, pool).Should().Be(0.5);
    }
}
