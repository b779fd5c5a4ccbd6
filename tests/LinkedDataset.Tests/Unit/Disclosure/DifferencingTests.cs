using FluentAssertions;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Disclosure;
using Xunit;

namespace LinkedDataset.Tests.Unit.Disclosure;

/// <summary>
/// The differencing attack of issue 17: release a figure, add one person, release it again, and
/// subtract. What the two releases differ by must not be the person's count or cost.
/// </summary>
public sealed class DifferencingTests
{
    [Fact]
    public void CostShare_OnePersonAdded_TheirCostCannotBeReadFromTheDifference()
    {
        // The case: 2,019 people costing £905,000 (top 5%: 101 people, £500,000); one person
        // costing £3,000 joins (not in the top). Released before the fix: 2,019 → 2,020 people and
        // £905k → £908k, the person's cost. Now: people 2,020 both times (rounded to 5); money in
        // £100,000 steps, top £500k + others £400k (405k and 408k both round to 400k) = £900k both times.
        var before = CostConcentration.Release(new("2024/25", true, 2_019, 101, 905_000, 500_000), SdcPolicy.Default);
        var after = CostConcentration.Release(new("2024/25", true, 2_020, 101, 908_000, 500_000), SdcPolicy.Default);

        after.Should().Be(before);
        before.People.Should().Be(2_020);
        before.TotalCostThousands.Should().Be(900);
        before.TopShare.Should().BeApproximately(500.0 / 900, 1e-12);
    }

    [Fact]
    public void CostShare_AnyOneCost_MovesTheReleaseByNothingOrOneWholeStep()
    {
        // Every cost from £0 to £60,000 in £250 steps, added to the others' cost of one base year: the
        // released total takes at most two values (a step apart), so the two releases tell an attacker
        // at most whether a rounding boundary was crossed, never the cost.
        var basis = new CostConcentration.Row("2024/25", true, 2_019, 101, 905_000, 500_000);
        var released = Enumerable.Range(0, 241)
            .Select(i => CostConcentration.Release(basis with { People = 2_020, TotalCost = basis.TotalCost + 250 * i }, SdcPolicy.Default).TotalCostThousands)
            .Distinct().Order().ToList();

        released.Should().HaveCountLessThanOrEqualTo(2);
        (released[^1] - released[0]).Should().BeOneOf(0, CostConcentration.MoneyBase / 1000);
    }

    [Theory]
    [InlineData(2_019L)]
    [InlineData(2_022L)]
    [InlineData(8L)]
    [InlineData(7L)]
    public void PeopleCount_OnePersonAdded_DiffersByNothingOrARoundingStep(long people)
    {
        // Counts are rounded to 5 (1-7 suppressed), so n and n + 1 release the same value or values 5
        // apart (or one suppressed): never a difference of exactly one person.
        var before = DisclosureControl.ProtectCount(people, SdcPolicy.Default);
        var after = DisclosureControl.ProtectCount(people + 1, SdcPolicy.Default);

        if (before is { } b && after is { } a)
        {
            (a - b).Should().BeOneOf(0, 5);
        }
        else
        {
            (before is null || after is null).Should().BeTrue();
        }
    }
}
