using FluentAssertions;
using LinkedDataset.Pipeline.Identity;
using Xunit;

namespace LinkedDataset.Tests.Unit.Identity;

public sealed class NhsNumberTests
{
    // 943 476 5919: 9×10+4×9+3×8+4×7+7×6+6×5+5×4+9×3+1×2 = 299; 299 mod 11 = 2; 11−2 = 9 ✓
    // 401 023 2137: 4×10+0+1×8+0+2×6+3×5+2×4+1×3+3×2 = 92; 92 mod 11 = 4; 11−4 = 7 ✓
    [Theory]
    [InlineData("9434765919", "9434765919")]
    [InlineData("4010232137", "4010232137")]
    [InlineData("943 476 5919", "9434765919")]
    [InlineData("943-476-5919", "9434765919")]
    [InlineData(" 943 - 476 - 5919 ", "9434765919")]
    public void TryNormalise_AcceptsValidNumbers_WithSpacesAndDashes(string raw, string expected)
    {
        NhsNumber.TryNormalise(raw, out var normalised).Should().BeTrue();
        normalised.Should().Be(expected);
        NhsNumber.Check(raw).Should().Be(NhsNumberStatus.Valid);
    }

    [Fact]
    public void Check_AcceptsCheckDigitZero_WhenElevenMinusRemainderIsEleven()
    {
        // 400 000 002: 4×10 + 2×2 = 44; 44 mod 11 = 0; 11−0 = 11 ⇒ check digit 0.
        NhsNumber.Check("4000000020").Should().Be(NhsNumberStatus.Valid);
        NhsNumber.Check("4000000021").Should().Be(NhsNumberStatus.FailsModulus11);
    }

    [Theory]
    [InlineData("1234567890")] // 123 456 789: sum 210; 210 mod 11 = 1; 11−1 = 10 ⇒ no check digit is valid
    [InlineData("1234567891")]
    [InlineData("4000000080")] // 400 000 008: 40 + 16 = 56; 56 mod 11 = 1 ⇒ 10 ⇒ invalid
    public void Check_RejectsNumbers_WhenRemainderGivesTen(string raw)
    {
        NhsNumber.Check(raw).Should().Be(NhsNumberStatus.FailsModulus11);
        NhsNumber.TryNormalise(raw, out var normalised).Should().BeFalse();
        normalised.Should().BeEmpty();
    }

    [Fact]
    public void Check_RejectsWrongCheckDigit()
    {
        NhsNumber.Check("9434765918").Should().Be(NhsNumberStatus.FailsModulus11);
    }

    [Theory]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("1")]
    public void Check_RejectsWrongLength(string raw) => NhsNumber.Check(raw).Should().Be(NhsNumberStatus.WrongLength);

    [Theory]
    [InlineData("943476591X")]
    [InlineData("943.476.5919")]
    [InlineData("943\t476\t5919")] // only spaces and dashes are stripped
    [InlineData("９４３４７６５９１９")] // full-width digits are not ASCII digits
    public void Check_RejectsNonDigits(string raw) => NhsNumber.Check(raw).Should().Be(NhsNumberStatus.NonDigit);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" - ")]
    public void Check_ReportsMissing(string? raw) => NhsNumber.Check(raw).Should().Be(NhsNumberStatus.Missing);

    [Theory]
    [InlineData("0000000000")] // passes Modulus 11 (sum 0 ⇒ check digit 0) but is a placeholder
    [InlineData("1111111111")] // passes Modulus 11 (sum 54; 54 mod 11 = 10; 11−10 = 1) but is a placeholder
    [InlineData("9999999999")]
    [InlineData("111 111 1111")]
    public void Check_TreatsOneRepeatedDigitAsPlaceholder(string raw)
    {
        NhsNumber.Check(raw).Should().Be(NhsNumberStatus.Placeholder);
        NhsNumber.TryNormalise(raw, out _).Should().BeFalse();
    }

    [Fact]
    public void Check_TreatsTestRangeAsMissing_OnlyWhenConfigured()
    {
        // 999 000 001: 9×10+9×9+9×8+1×2 = 245; 245 mod 11 = 3; 11−3 = 8 ⇒ 9990000018 is valid.
        NhsNumber.Check("9990000018").Should().Be(NhsNumberStatus.Valid);
        var options = new NhsNumberOptions { TreatTestRangeAsMissing = true };
        NhsNumber.Check("9990000018", options).Should().Be(NhsNumberStatus.Placeholder);
        NhsNumber.TryNormalise("999 000 0018", out _, options).Should().BeFalse();
        NhsNumber.Check("9434765919", options).Should().Be(NhsNumberStatus.Valid);
    }
}
