using FluentAssertions;
using LinkedDataset.Analysis.Evaluation;

namespace LinkedDataset.Tests.Unit.Evaluation;

public class DidAndMoneyTests
{
    // Two months: -1 (before) and 0 (after); 12 months of exposure each so a "rate" is the count itself.
    private static readonly EventWindows TwoByTwo = new(-1, -1, 0, 0, -1, -1);

    private static MemberSeries Member(double before, double after) => new([before, after], [12, 12]);

    [Fact]
    public void Did_TwoByTwo_IsTheChangeInTreatedMinusTheChangeInComparators()
    {
        // Treated 4 → 2 (change -2); comparators 3 → 3 and 5 → 4 (changes 0 and -1, mean -0.5). DiD = -2 - (-0.5) = -1.5.
        // Counterfactual treated after = 2 - (-1.5) = 3.5; rate ratio 2 / 3.5 = 0.5714. Naive = 2 - 4 = -2; naive ratio 0.5.
        var set = new SetSeries(300, Member(4, 2), [Member(3, 3), Member(5, 4)]);
        var e = DifferenceInDifferences.Estimate([set], TwoByTwo, []);
        e.Effect.Value.Should().BeApproximately(-1.5, 1e-12);
        e.RateRatio.Value.Should().BeApproximately(2 / 3.5, 1e-12);
        e.Naive.Value.Should().Be(-2);
        e.NaiveRateRatio.Value.Should().Be(0.5);
        e.Effect.Lower.Should().BeNull("no bootstrap replicates were asked for");
    }

    [Fact]
    public void Did_TwoCohortStaggered_GivesGroupTimeEffectsAggregatedBySize_AndAnEventStudy()
    {
        // Months -1..1. Cohort A (index month 10), two sets; cohort B (index month 13), one set.
        // A1: treated 2,1,1 vs comparator 2,2,2 → post (months 0..1) 1 vs pre 2: DiD = (1 - 2) - (2 - 2) = -1.
        // A2: treated 4,3,3 vs comparator 4,4,4 → -1.
        // B1: treated 3,0,0 vs comparator 1,2,2 → (0 - 3) - (2 - 1) = -4.
        // Cohorts: A = -1 (2 sets), B = -4 (1 set); aggregate weighted by sets = (2 × -1 + 1 × -4) / 3 = -2.
        // Event study month 0: A1 (1-2)-(2-2) = -1, A2 -1, B1 (0-3)-(2-1) = -4 → mean -2; month -1: 0 for all.
        var w = new EventWindows(-1, -1, 0, 1, -1, -1);
        MemberSeries M(params double[] c) => new(c, [12, 12, 12]);
        SetSeries[] sets =
        [
            new(10, M(2, 1, 1), [M(2, 2, 2)]),
            new(10, M(4, 3, 3), [M(4, 4, 4)]),
            new(13, M(3, 0, 0), [M(1, 2, 2)]),
        ];
        var e = DifferenceInDifferences.Estimate(sets, w, DifferenceInDifferences.BootstrapDraws(3, 50, 7));
        e.Cohorts.Should().HaveCount(2);
        e.Cohorts[0].Should().Match<CohortEffect>(c => c.IndexMonth == 10 && c.Sets == 2);
        e.Cohorts[0].Effect.Value.Should().BeApproximately(-1, 1e-12);
        e.Cohorts[1].Effect.Value.Should().BeApproximately(-4, 1e-12);
        e.Effect.Value.Should().BeApproximately(-2, 1e-12);
        e.EventStudy.Select(x => x.Month).Should().Equal(-1, 0, 1);
        e.EventStudy[0].Effect.Value.Should().Be(0);
        e.EventStudy[1].Effect.Value.Should().BeApproximately(-2, 1e-12);
        e.Effect.Lower.Should().BeLessThanOrEqualTo(-1).And.BeGreaterThanOrEqualTo(-4);
        e.Effect.Upper.Should().BeLessThanOrEqualTo(-1).And.BeGreaterThanOrEqualTo(-4, "every resample averages set effects between -4 and -1");
    }

    [Fact]
    public void Did_CensoredComparatorMonthsAreNotCounted()
    {
        // Index month May 2025, months -1..1 (April to June); a comparator referred on 16 June is followed for 15 of June's 30 days,
        // so one event in June is 1 / 0.5 months × 12 = 24 per person-year.
        var exposure = Evaluator.Exposure(EvaluationData_MonthIndex(2025, 5), new DateOnly(2025, 6, 16), new EventWindows(-1, -1, 0, 1, -1, -1));
        exposure[0].Should().Be(1, "April is before the censor date");
        exposure[1].Should().Be(1, "May is before it");
        exposure[2].Should().BeApproximately(15 / 30.0, 1e-12, "15 of June's 30 days are before the 16th");
        new MemberSeries([1, 0, 1], exposure).Rate(2, 2).Should().BeApproximately(24, 1e-9);
    }

    private static int EvaluationData_MonthIndex(int year, int month) => year * 12 + month - 1;

    [Fact]
    public void Discounting_OverThreeYearsWithDropOff_FollowsTheGreenBook()
    {
        // £100 gross in year 0, drop-off 50 % a year, 3.5 %: year 0 100; year 1 50 / 1.035 = 48.3092; year 2 25 / 1.035² = 23.3377.
        // With attribution 20 % everything × 0.8. Present value = 171.6469 (no attribution), 137.3175 (with).
        var a = new MoneyAssumptions(HorizonYears: 3, DiscountRate: 0.035, DropOff: 0.5);
        var years = MoneyArithmetic.Years(100, a);
        years.Select(y => y.Adjusted).Should().Equal(100, 50, 25);
        years[1].PresentValue.Should().BeApproximately(48.309179, 1e-6);
        years[2].PresentValue.Should().BeApproximately(23.337768, 1e-6);
        MoneyArithmetic.PresentValue(100, a).Should().BeApproximately(171.646947, 1e-6);
        MoneyArithmetic.PresentValue(100, a with { Attribution = 0.2 }).Should().BeApproximately(137.317558, 1e-6);
        MoneyArithmetic.PresentValue(100, a with { Deadweight = 0.1, Displacement = 0.5 }).Should().BeApproximately(171.646947 * 0.9 * 0.5, 1e-6);
    }

    [Fact]
    public void RoiAndBcr_AreNetReturnAndRatioPerPoundSpent()
    {
        // Savings £500 for a £350 programme: ROI (500 - 350) / 350 = 0.428571; BCR 500 / 350 = 1.428571 (£1.43 back per £1).
        MoneyArithmetic.Roi(500, 350).Should().BeApproximately(0.428571, 1e-6);
        MoneyArithmetic.Bcr(500, 350).Should().BeApproximately(1.428571, 1e-6);
        MoneyArithmetic.Roi(100, 0).Should().BeNull();
        new MoneyAssumptions(DropOff: 1.5).Invoking(m => m.Validate()).Should().Throw<ArgumentException>().WithMessage("*drop_off*");
    }

    [Fact]
    public void BootstrapPercentile_InterpolatesLikeR()
    {
        // quantile(1:5, 0.025, type = 7) = 1.1; 0.975 → 4.9.
        Estimate.From(3, [5, 4, 3, 2, 1]).Should().Be(new Estimate(3, 1.1, 4.9));
    }
}
