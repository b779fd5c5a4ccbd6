using System.Text;
using FluentAssertions;
using LinkedDataset.Pipeline.Identity;
using Xunit;

namespace LinkedDataset.Tests.Unit.Identity;

public sealed class PseudonymiserTests
{
    private static readonly byte[] KeyA = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        // RFC 4231 section 4: test cases 1-4, 6 and 7 (key hex, data hex, HMAC-SHA-256). Case 5 is a truncated output.
        { string.Concat(Enumerable.Repeat("0b", 20)), Hex("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { Hex("Jefe"), Hex("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { string.Concat(Enumerable.Repeat("aa", 20)), string.Concat(Enumerable.Repeat("dd", 50)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { string.Concat(Enumerable.Repeat("aa", 131)), Hex("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        {
            string.Concat(Enumerable.Repeat("aa", 131)),
            Hex("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void HmacSha256_MatchesRfc4231KnownAnswers(string keyHex, string dataHex, string expected)
    {
        var mac = Pseudonymiser.HmacSha256(Convert.FromHexString(keyHex), Convert.FromHexString(dataHex));
        Convert.ToHexStringLower(mac).Should().Be(expected);
    }

    [Fact]
    public void PersonToken_IsTruncatedHmacOfDomainSeparatedDigits()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var expected = Convert.ToHexStringLower(Pseudonymiser.HmacSha256(KeyA, Encoding.ASCII.GetBytes("nhs:9434765919")))[..32];
        p.PersonToken("943 476 5919").Should().Be(expected).And.HaveLength(32);
    }

    [Fact]
    public void PersonToken_IsStable_ForSameInputAndKey_AcrossFormatsAndInstances()
    {
        using var p1 = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        using var p2 = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var token = p1.PersonToken("9434765919");
        p1.PersonToken("943-476-5919").Should().Be(token);
        p2.PersonToken("943 476 5919").Should().Be(token);
    }

    [Fact]
    public void PersonToken_Differs_ForDifferentKeyOrNumber()
    {
        using var a = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        using var b = new Pseudonymiser(PseudonymKey.FromBytes(KeyB));
        a.PersonToken("9434765919").Should().NotBe(b.PersonToken("9434765919"));
        a.PersonToken("9434765919").Should().NotBe(a.PersonToken("4010232137"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1234567890")]
    [InlineData("0000000000")]
    [InlineData("94347659")]
    public void PersonToken_IsNull_ForMissingOrInvalidNumbers(string? raw)
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        p.PersonToken(raw).Should().BeNull();
    }

    [Fact]
    public void PersonToken_HonoursTestRangeOption()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA), new NhsNumberOptions { TreatTestRangeAsMissing = true });
        p.PersonToken("9990000018").Should().BeNull();
    }

    [Fact]
    public void HouseholdToken_NormalisesUprn_AndRejectsNonDigits()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var token = p.HouseholdToken("100062085231");
        token.Should().HaveLength(32);
        p.HouseholdToken(" 100062085231 ").Should().Be(token);
        p.HouseholdToken("0100062085231").Should().BeNull(); // 13 characters: longer than a UPRN
        p.HouseholdToken("00123").Should().Be(p.HouseholdToken("123"));
        p.HouseholdToken("12A4").Should().BeNull();
        p.HouseholdToken("").Should().BeNull();
        p.HouseholdToken(null).Should().BeNull();
        p.HouseholdToken("0").Should().BeNull();
        // Domain separation: the same digits as an NHS number and as a UPRN give different tokens.
        p.HouseholdToken("9434765919").Should().NotBe(p.PersonToken("9434765919"));
    }

    [Fact]
    public void MatchTokens_AgreeAcrossSpellingsOfTheSamePerson()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var a = p.MatchTokens("Zoë", "O'Brien-Smyth", new DateOnly(2001, 3, 4), "me14 1ab");
        var b = p.MatchTokens("MRS ZOE", "o brien smyth", new DateOnly(2001, 3, 4), "ME141AB");
        b.Should().Be(a);
        a.GivenName.Should().HaveLength(32);
        a.DateOfBirthSwapped.Should().NotBeNull();
    }

    [Fact]
    public void MatchTokens_SwappedDateOfBirth_EqualsDateOfBirthTokenOfTransposedDate()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var recorded = p.MatchTokens(null, null, new DateOnly(2001, 3, 4), null);
        var transposed = p.MatchTokens(null, null, new DateOnly(2001, 4, 3), null);
        recorded.DateOfBirthSwapped.Should().Be(transposed.DateOfBirth);
        transposed.DateOfBirthSwapped.Should().Be(recorded.DateOfBirth);
        recorded.YearOfBirth.Should().Be(transposed.YearOfBirth);
    }

    [Fact]
    public void MatchTokens_DayAndMonth_AgreeAcrossAMistypedYear_AndAreMissingForAnImpossibleDate()
    {
        // 2001-03-04 and 2000-03-04: different date and year tokens, the same day-and-month token.
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var recorded = p.MatchTokens(null, null, new DateOnly(2001, 3, 4), null);
        var mistyped = p.MatchTokens(null, null, new DateOnly(2000, 3, 4), null);
        mistyped.DayMonthOfBirth.Should().NotBeNull().And.Be(recorded.DayMonthOfBirth);
        mistyped.DateOfBirth.Should().NotBe(recorded.DateOfBirth);
        p.MatchTokens(null, null, new DateOnly(2001, 4, 3), null).DayMonthOfBirth.Should().NotBe(recorded.DayMonthOfBirth);
        p.MatchTokens(null, null, null, null, yearOnly: 2001).DayMonthOfBirth.Should().BeNull();
    }

    [Fact]
    public void MatchTokens_SwappedDateOfBirth_IsNull_WhenSwapIsNotADifferentValidDate()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        p.MatchTokens(null, null, new DateOnly(2001, 5, 5), null).DateOfBirthSwapped.Should().BeNull();
        p.MatchTokens(null, null, new DateOnly(2001, 3, 13), null).DateOfBirthSwapped.Should().BeNull();
    }

    [Fact]
    public void MatchTokens_UseDifferentDomains_ForEqualStringsInDifferentFields()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var t = p.MatchTokens("James", "James", null, null);
        t.GivenName.Should().NotBe(t.FamilyName);
        var initials = p.MatchTokens("J", "J", null, null);
        initials.GivenName.Should().NotBe(initials.FirstInitial);
    }

    [Fact]
    public void MatchTokens_AreNull_WhereInputIsMissing()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        p.MatchTokens(null, "  ", null, "not a postcode").Should().Be(new MatchTokens(null, null, null, null, null, null, null, null, null));
        var partial = p.MatchTokens("Ann", null, null, "ME14 1AB");
        partial.FirstInitial.Should().NotBeNull();
        partial.PostcodeSector.Should().NotBeNull();
        partial.FamilyNamePhonetic.Should().BeNull();
    }

    [Fact]
    public void MatchTokens_PhoneticToken_AgreesForSoundAlikeFamilyNames()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var smith = p.MatchTokens(null, "Smith", null, null);
        var smyth = p.MatchTokens(null, "Smyth", null, null);
        smith.FamilyNamePhonetic.Should().Be(smyth.FamilyNamePhonetic);
        smith.FamilyName.Should().NotBe(smyth.FamilyName);
    }

    [Fact]
    public void PostcodeSectorToken_AgreesWithinSector_AndDiffersFromFullPostcode()
    {
        using var p = new Pseudonymiser(PseudonymKey.FromBytes(KeyA));
        var a = p.MatchTokens(null, null, null, "ME14 1AB");
        var b = p.MatchTokens(null, null, null, "ME14 1ZZ");
        a.PostcodeSector.Should().Be(b.PostcodeSector);
        a.Postcode.Should().NotBe(b.Postcode);
    }

    private static string Hex(string ascii) => Convert.ToHexString(Encoding.ASCII.GetBytes(ascii));
}
