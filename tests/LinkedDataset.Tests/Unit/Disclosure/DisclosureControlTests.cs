using FluentAssertions;
using LinkedDataset.Pipeline.Disclosure;
using Xunit;

namespace LinkedDataset.Tests.Unit.Disclosure;

public sealed class DisclosureControlTests
{
    [Theory]
    [InlineData(0, 0L)]
    [InlineData(1, null)]
    [InlineData(7, null)]
    [InlineData(8, 10L)]
    [InlineData(12, 10L)]
    [InlineData(13, 15L)]
    [InlineData(100, 100L)]
    [InlineData(102, 100L)]
    [InlineData(103, 105L)]
    public void ProtectCount_DefaultPolicy(long count, long? expected) =>
        DisclosureControl.ProtectCount(count, SdcPolicy.Default).Should().Be(expected);

    [Fact]
    public void ProtectCount_FollowsConfiguredPolicy()
    {
        var tens = new SdcPolicy(SuppressAtOrBelow: 10, RoundTo: 10);
        DisclosureControl.ProtectCount(10, tens).Should().BeNull();
        DisclosureControl.ProtectCount(11, tens).Should().Be(10);
        DisclosureControl.ProtectCount(15, tens).Should().Be(20); // halves round up
        DisclosureControl.ProtectCount(3, new SdcPolicy(2, 10)).Should().Be(10); // a positive count never shows as 0
        DisclosureControl.ProtectCount(1, new SdcPolicy(0, 1)).Should().Be(1); // policy off
        FluentActions.Invoking(() => DisclosureControl.ProtectCount(-1, SdcPolicy.Default)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Policy_RejectsInvalidSettings_AndDescribesItself()
    {
        SdcPolicy.Default.Describe().Should().Be(
            "counts 1-7 suppressed; other counts rounded to the nearest 5; rates from rounded values; secondary suppression applied");
        new SdcPolicy(10, 10).Describe().Should().StartWith("counts 1-10 suppressed; other counts rounded to the nearest 10;");
        FluentActions.Invoking(() => new SdcPolicy(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new SdcPolicy(7, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => SdcPolicy.Default with { RoundTo = 0 }).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ProtectRates_ComputesRatesFromRoundedValues_AndSuppressesWithThem()
    {
        var rates = DisclosureControl.ProtectRates(
            [
                new RateCell(["a"], 30, 1000), // 30/1000 → 30 per 1,000
                new RateCell(["b"], 5, 200),   // numerator suppressed ⇒ rate suppressed
                new RateCell(["c"], 12, 998),  // rounded 10/1000 ⇒ 10, not the raw 12.02
                new RateCell(["d"], 0, 500),   // a true zero is released
                new RateCell(["e"], 9, 7),     // denominator suppressed ⇒ rate suppressed
                new RateCell(["f"], 0, 0),     // no denominator ⇒ no rate
            ],
            SdcPolicy.Default);

        rates.Select(r => (r.Numerator, r.Denominator, r.Rate)).Should().Equal(
            (30L, 1000L, 30.0),
            (null, 200L, null),
            (10L, 1000L, 10.0),
            (0L, 500L, 0.0),
            (10L, null, null),
            (0L, 0L, null));
        rates[2].Group.Should().Equal("c");
    }

    [Fact]
    public void ProtectRates_UsesPerAndPolicy()
    {
        var rate = DisclosureControl.ProtectRates([new RateCell(["x"], 23, 87)], new SdcPolicy(10, 10), per: 100).Single();
        rate.Should().BeEquivalentTo(new { Numerator = 20L, Denominator = 90L });
        rate.Rate.Should().BeApproximately(22.222, 0.001); // 20 / 90 × 100
    }
}
