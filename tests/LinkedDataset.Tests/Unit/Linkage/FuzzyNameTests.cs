using FluentAssertions;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Linkage.Probabilistic;

namespace LinkedDataset.Tests.Unit.Linkage;

public class FuzzyNameTests
{
    private static PseudonymKey Key(byte seed) => PseudonymKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + seed)).ToArray());

    private static string Bigrams(PseudonymKey key, string name)
    {
        using var pseudonymiser = new Pseudonymiser(key);
        return pseudonymiser.MatchTokens(name, name, null, null).GivenNameBloom!;
    }

    [Theory]
    // Bigram sets worked by hand: JOHNSON {_J JO OH HN NS SO ON N_} vs JONSON {_J JO ON NS SO N_}: 6 shared, 2·6/(8+6) = 0.857.
    [InlineData("Johnson", "Jonson", 12.0 / 14)]
    // SMITH {_S SM MI IT TH H_} vs SMYTH {_S SM MY YT TH H_}: 4 shared, 8/12.
    [InlineData("Smith", "Smyth", 8.0 / 12)]
    // JONES {_J JO ON NE ES S_} vs JAMES {_J JA AM ME ES S_}: 3 shared, 6/12.
    [InlineData("Jones", "James", 6.0 / 12)]
    [InlineData("O'Brien", "OBRIEN", 1.0)]
    public void Dice_OfKeyedBigramSets_IsThePlainTextBigramDice_UnderAnyKey(string a, string b, double expected)
    {
        foreach (var key in new[] { Key(1), Key(2) })
        {
            NameBloomFilter.Dice(Bigrams(key, a), Bigrams(key, b)).Should().BeApproximately(expected, 1e-12);
        }

        Bigrams(Key(1), a).Should().NotBe(Bigrams(Key(2), a), "the bit positions are keyed");
        Bigrams(Key(1), a).Should().HaveLength(NameBloomFilter.HexLength).And.MatchRegex("^[0-9a-f]+$");
    }

    [Fact]
    public void GivenAndFamilyName_ShareTheEncoding_SoSwappedNamesCanBeCompared()
    {
        using var pseudonymiser = new Pseudonymiser(Key(3));
        var straight = pseudonymiser.MatchTokens("Ann", "Smith", null, null);
        var swapped = pseudonymiser.MatchTokens("Smith", "Ann", null, null);
        swapped.GivenNameBloom.Should().Be(straight.FamilyNameBloom);
        swapped.FamilyNameBloom.Should().Be(straight.GivenNameBloom);
        swapped.GivenName.Should().NotBe(straight.FamilyName, "exact tokens keep their own domains");
    }

    [Theory]
    [InlineData("1956-02-31", 1956)]
    [InlineData(" 1980-13-01 ", 1980)]
    [InlineData("1956-02-28", null)]
    [InlineData("31/02/1956", null)]
    [InlineData("", null)]
    public void ImpossibleButWellShapedDates_KeepTheirYear(string raw, int? year) =>
        PseudonymisedForm.YearOfImpossibleDate(raw).Should().Be(year);

    [Fact]
    public void ImpossibleDate_GivesAYearOfBirthToken_ButNoDateToken()
    {
        using var pseudonymiser = new Pseudonymiser(Key(4));
        var impossible = pseudonymiser.MatchTokens("Ann", "Smith", null, null, PseudonymisedForm.YearOfImpossibleDate("1956-02-31"));
        var real = pseudonymiser.MatchTokens("Ann", "Smith", new DateOnly(1956, 2, 28), null);
        impossible.DateOfBirth.Should().BeNull();
        impossible.YearOfBirth.Should().Be(real.YearOfBirth);
    }

    [Fact]
    public void MissedMatchEstimate_ReestimatesThePrior_AmongProvisionalRecords()
    {
        // 10 records whose best candidate is 1,000 times likelier under a match, 90 whose is 1,000 times
        // likelier under a non-match (weights in bits above the prior): λ settles near 0.1, so about 10
        // missed, where the index-wide prior (2^-20) would have counted almost none.
        const double prior = -20;
        var candidates = new List<(double, long)> { (prior + Math.Log2(1000), 10), (prior - Math.Log2(1000), 90) };
        var (lambda, missed) = MissedMatchEstimate.Estimate(candidates, prior);
        lambda.Should().BeApproximately(0.1, 0.01);
        missed.Should().BeApproximately(10, 1);
    }
}
