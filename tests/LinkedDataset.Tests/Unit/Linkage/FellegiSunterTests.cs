using FluentAssertions;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Unit.Linkage;

public class FellegiSunterTests
{
    private static int Level(Comparison comparison, string record, string person)
    {
        using var db = DuckDb.OpenInMemory();
        var columns = string.Join(", ", Comparisons.TokenColumns.Select(c => $"NULL::VARCHAR AS {c}"));
        FellegiSunterLinker.CreateMacros(db);
        DuckDb.Execute(db, $"""
            CREATE TABLE r AS SELECT *, {FellegiSunterLinker.BloomWords} FROM (SELECT * REPLACE ({record}) FROM (SELECT {columns}));
            CREATE TABLE p AS SELECT *, {FellegiSunterLinker.BloomWords} FROM (SELECT * REPLACE ({person}) FROM (SELECT {columns}));
            """);
        return DuckDb.Scalar<int>(db, $"SELECT {comparison.LevelSql} FROM r, p");
    }

    [Theory]
    // given name: exact 5, same initial 1, else 0, missing -1 (no Bloom filters here: no fuzzy or swapped level)
    [InlineData("given_name", "'ANN' AS given, 'A' AS initial", "'ANN' AS given, 'A' AS initial", 5)]
    [InlineData("given_name", "'ANNE' AS given, 'A' AS initial", "'ANN' AS given, 'A' AS initial", 1)]
    [InlineData("given_name", "'BEN' AS given, 'B' AS initial", "'ANN' AS given, 'A' AS initial", 0)]
    [InlineData("given_name", "NULL::VARCHAR AS given, 'A' AS initial", "'ANN' AS given, 'A' AS initial", -1)]
    // family name: exact 4, soundex 1
    [InlineData("family_name", "'SMITH' AS family, 'S530' AS soundex", "'SMITH' AS family, 'S530' AS soundex", 4)]
    [InlineData("family_name", "'SMYTH' AS family, 'S530' AS soundex", "'SMITH' AS family, 'S530' AS soundex", 1)]
    [InlineData("family_name", "'JONES' AS family, 'J520' AS soundex", "'SMITH' AS family, 'S530' AS soundex", 0)]
    // date of birth: exact 6, day/month swapped either way 5, same day and month in another year 4, same year only 2, else 0
    [InlineData("dob", "'1950-03-04' AS dob, '1950' AS yob, '1950-04-03' AS dob_swapped", "'1950-03-04' AS dob, '1950' AS yob, '1950-04-03' AS dob_swapped", 6)]
    [InlineData("dob", "'1950-04-03' AS dob, '1950' AS yob, '1950-03-04' AS dob_swapped", "'1950-03-04' AS dob, '1950' AS yob, '1950-04-03' AS dob_swapped", 5)]
    [InlineData("dob", "'1950-04-03' AS dob, '1950' AS yob, '1950-03-04' AS dob_swapped", "'1950-03-04' AS dob, '1950' AS yob, NULL::VARCHAR AS dob_swapped", 5)]
    [InlineData("dob", "'1951-03-04' AS dob, '1951' AS yob, '03-04' AS dob_md", "'1950-03-04' AS dob, '1950' AS yob, '03-04' AS dob_md", 4)]
    [InlineData("dob", "'1950-07-30' AS dob, '1950' AS yob, '07-30' AS dob_md", "'1950-03-04' AS dob, '1950' AS yob, '03-04' AS dob_md", 2)]
    [InlineData("dob", "'1951-03-05' AS dob, '1951' AS yob, '03-05' AS dob_md", "'1950-03-04' AS dob, '1950' AS yob, '03-04' AS dob_md", 0)]
    // an impossible date kept only its year: the coarse levels, same year 3 or another year 1
    [InlineData("dob", "NULL::VARCHAR AS dob, '1950' AS yob", "'1950-03-04' AS dob, '1950' AS yob", 3)]
    [InlineData("dob", "NULL::VARCHAR AS dob, '1951' AS yob", "'1950-03-04' AS dob, '1950' AS yob", 1)]
    [InlineData("dob", "NULL::VARCHAR AS dob, NULL::VARCHAR AS yob", "'1950-03-04' AS dob, '1950' AS yob", -1)]
    // postcode: exact 2, sector 1
    [InlineData("postcode", "'ME141AA' AS postcode, 'ME14 1' AS sector", "'ME141AA' AS postcode, 'ME14 1' AS sector", 2)]
    [InlineData("postcode", "'ME141ZZ' AS postcode, 'ME14 1' AS sector", "'ME141AA' AS postcode, 'ME14 1' AS sector", 1)]
    [InlineData("postcode", "'CT11AA' AS postcode, 'CT1 1' AS sector", "'ME141AA' AS postcode, 'ME14 1' AS sector", 0)]
    [InlineData("sex", "'1' AS sex", "'2' AS sex", 0)]
    public void ComparisonLevel_IsTheStrongestAgreement(string comparison, string record, string person, int expected) =>
        Level(Comparisons.All.Single(c => c.Name == comparison), record, person).Should().Be(expected);

    [Fact]
    public void LongNames_AreCompared_WithoutOverflow()
    {
        // Two 145-letter "names" (a free-text field sent as a name), ABACAD…ZA BCBDB…ZB CDCEC…ZC, with no
        // bigram twice: about 146 bigrams each, so one name alone has more set bits than a TINYINT sum
        // holds. They differ only in the last letter: Dice about 2·145/292 = 0.99 ≥ 0.8, level "close" (3).
        var identity = Enumerable.Range(0, LinkedDataset.Pipeline.Identity.NameBloomFilter.Bigrams).ToArray();
        var letters = string.Concat("ABC".Select(x => x + string.Concat(Enumerable.Range(x - 'A' + 1, 25 - (x - 'A')).Select(y => $"{(char)('A' + y)}{x}"))))[..^1];
        var a = LinkedDataset.Pipeline.Identity.NameBloomFilter.Encode(letters + "Q", identity);
        var b = LinkedDataset.Pipeline.Identity.NameBloomFilter.Encode(letters + "Z", identity);
        Level(Comparisons.GivenName, $"'x' AS given, 'A' AS initial, '{a}' AS given_bloom", $"'y' AS given, 'A' AS initial, '{b}' AS given_bloom")
            .Should().Be(3);
    }

    [Fact]
    public void Em_RecoversMAndLambda_FromAnExactMixture()
    {
        // Two binary comparisons, u fixed at (0.1, 0.2) for agreement. 1,000 pairs, 300 matches with
        // m = (0.9, 0.8): counts worked by hand as 300·m-terms + 700·u-terms, e.g. both agree:
        // 300·0.9·0.8 + 700·0.1·0.2 = 216 + 14 = 230.
        Comparison a = new("a", ["else", "exact"], ""), b = new("b", ["else", "exact"], "");
        double[][] u = [[0.9, 0.1], [0.8, 0.2]];
        var patterns = new List<PatternCount>
        {
            new(0, [1, 1], 230), new(0, [1, 0], 110), new(0, [0, 1], 150), new(0, [0, 0], 510),
        };

        var (m, lambda, _) = EmEstimator.Fit([a, b], u, [0, 1], patterns, 10_000, 1e-12);

        lambda.Should().BeApproximately(0.3, 1e-4);
        m[0][1].Should().BeApproximately(0.9, 1e-4);
        m[1][1].Should().BeApproximately(0.8, 1e-4);
    }

    [Fact]
    public void Em_LeavesOutTheComparisonsARuleFixes_AndAveragesOverRules()
    {
        Comparison a = new("a", ["else", "exact"], ""), b = new("b", ["else", "exact"], "");
        double[][] u = [[0.9, 0.1], [0.8, 0.2]];
        BlockingRule onA = BlockingRule.Equal("on_a", ["dob"], ["a"]), onB = BlockingRule.Equal("on_b", ["sex"], ["b"]);

        // Rule 0 fixes a: every pair agrees on a, so only b is estimated from it (and vice versa).
        var patterns = new List<PatternCount> { new(0, [1, 1], 90), new(0, [1, 0], 10), new(1, [1, 1], 70), new(1, [0, 1], 30) };
        var (m, rules) = EmEstimator.Estimate([a, b], u, [onA, onB], patterns, 1000, 1e-10);

        rules.Select(r => r.Estimated.Single()).Should().Equal("b", "a");
        m[0].Sum().Should().BeApproximately(1, 1e-9);
        m[1].Sum().Should().BeApproximately(1, 1e-9);
        m[0][1].Should().BeGreaterThan(0.5);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(10, 1023.0 / 1024 + 1.0 / 1024 / 1025)]
    [InlineData(-10, 1.0 / 1025)]
    public void Probability_OfAMatchWeight_Is2PowWOver1Plus2PowW(double weight, double expected) =>
        FellegiSunterModel.Probability(weight).Should().BeApproximately(expected, 1e-9);

    [Fact]
    public void Weight_IsLog2MOverU_AndZeroWhenMissing()
    {
        var model = new FellegiSunterModel([Comparisons.Sex], [[0.02, 0.98]], [[0.5, 0.5]]);
        model.Weight(0, 1).Should().BeApproximately(Math.Log2(0.98 / 0.5), 1e-12);
        model.Weight(0, 0).Should().BeApproximately(Math.Log2(0.02 / 0.5), 1e-12);
        model.Weight(0, -1).Should().Be(0);
    }

    /// <summary>500 people with distinct names, dates of birth (37 days apart) and postcodes, as <c>pl_person_tokens</c>.</summary>
    private const string FiveHundredPeople = """
            CREATE TABLE pl_person_tokens AS
            SELECT i AS person_id, i AS set_order, 'g' || i AS given, 'f' || i AS family, 's' || (i // 2) AS soundex, 'i' || (i % 26) AS initial,
                   CAST(DATE '1930-01-01' + CAST(i * 37 AS INTEGER) AS VARCHAR) AS dob, CAST(year(DATE '1930-01-01' + CAST(i * 37 AS INTEGER)) AS VARCHAR) AS yob, NULL AS dob_swapped,
                   'pc' || i AS postcode, 'sec' || (i // 10) AS sector, CAST(1 + i % 2 AS VARCHAR) AS sex,
                   NULL::VARCHAR AS given_soundex, NULL::VARCHAR AS given_bloom, NULL::VARCHAR AS family_bloom,
                   strftime(DATE '1930-01-01' + CAST(i * 37 AS INTEGER), '%m-%d') AS dob_md
            FROM range(500) t(i);
        """;

    [Fact]
    public void Linker_LinksAboveTheUpperThreshold_FlagsBetween_AndLeavesTheRestProvisional()
    {
        // 500 people with distinct names and dates of birth. Record 1 copies person 7 exactly; record 2
        // is person 8 with another given name, postcode and year of birth, sharing only family name,
        // sex and the initial (too weak); record 3 matches nobody.
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, FiveHundredPeople);
        DuckDb.Execute(db, """
            CREATE TABLE pl_records AS
            SELECT 1 AS record_key, * EXCLUDE (person_id, set_order) FROM pl_person_tokens WHERE person_id = 7
            UNION ALL
            SELECT 2, 'zz', family, soundex, initial, '2001-01-01', '2001', NULL, 'pcx', 'secx', sex, NULL, NULL, NULL, '01-01' FROM pl_person_tokens WHERE person_id = 8
            UNION ALL
            SELECT 3, 'nobody', 'nobody', 'n000', 'iz', '1800-01-01', '1800', NULL, 'none', 'none', '1', NULL, NULL, NULL, '01-01';
            """);
        var settings = new LinkageSettings(
            [BlockingRule.Equal("dob_initial", ["dob", "initial"], ["dob", "given_name"]),
             BlockingRule.Equal("family", ["family"], ["family_name"])],
            UpperThreshold: 0.99, LowerThreshold: 0.8, USamplePeople: 500);

        var result = FellegiSunterLinker.Run(db, settings);

        result.Records.Should().Be(3);
        var decisions = Decisions(db);
        decisions[1].Should().Be(("probabilistic", 7L, false));
        decisions[2].Decision.Should().Be("provisional");
        decisions[2].PersonId.Should().BeNull();
        decisions[3].Should().Be(("provisional", null, false));

        // The same exact copy under thresholds no record can reach is provisional. Worked by hand: the
        // largest weight any pair can have here is prior log2(1/499) = -8.96, plus at most log2(1/u) per
        // agreement with m <= 1: given and family name by term frequency, u = 1/500 (each name once among
        // 500 people): 8.97 each; date of birth and postcode, u floored at 1e-6: 19.93 each; sex, u ~ 1/2:
        // about 1. Total at most 49.84 bits. The threshold just below 1, 1 - 2^-53, needs
        // log2((1 - 2^-53) / 2^-53) = 53.0 bits: out of reach, so the decision is provisional.
        var unreachable = Math.BitDecrement(1.0);
        var strict = FellegiSunterLinker.Run(db, settings with { UpperThreshold = unreachable, LowerThreshold = unreachable });
        Decisions(db)[1].Should().Be(("provisional", null, false));
        strict.Records.Should().Be(3);
    }

    [Fact]
    public void Linker_LinksFewRecordsThatAllAgreeOnNamesAndBirth_AndLeavesOutAComparisonNoRecordHas()
    {
        // The provisional-merge case: a run with only two records to link, both exact copies of person 7
        // except that record 2 has moved (another postcode), and neither record gives its sex. Every
        // candidate pair agrees exactly on names and date of birth, so those comparisons show one level
        // among the candidates; the random pairs of people show them disagreeing, so they stay in the
        // model and both records link. Sex is missing in every candidate pair: left out.
        // By hand: prior log2(1/499) = -8.96; given and family name exact, u = 1/500 by term frequency:
        // about +9 bits each; date of birth exact: more than +8 bits (u <= 1/500); record 2's postcode
        // disagreement costs at most a few bits: well above the 6.6 bits p = 0.99 needs.
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, FiveHundredPeople);
        DuckDb.Execute(db, """
            CREATE TABLE pl_records AS
            SELECT 1 AS record_key, * EXCLUDE (person_id, set_order) REPLACE (NULL AS sex) FROM pl_person_tokens WHERE person_id = 7
            UNION ALL
            SELECT 2, * EXCLUDE (person_id, set_order) REPLACE ('pcx' AS postcode, 'secx' AS sector, NULL AS sex) FROM pl_person_tokens WHERE person_id = 7;
            """);
        var settings = new LinkageSettings(
            [BlockingRule.Equal("dob_initial", ["dob", "initial"], ["dob", "given_name"]),
             BlockingRule.Equal("family", ["family"], ["family_name"])],
            UpperThreshold: 0.99, LowerThreshold: 0.8, USamplePeople: 500);

        var result = FellegiSunterLinker.Run(db, settings);

        var decisions = Decisions(db);
        decisions[1].Should().Be(("probabilistic", 7L, false));
        decisions[2].Should().Be(("probabilistic", 7L, false));
        var used = Comparisons.All.Select((c, i) => (c.Name, result.Model.Used[i])).ToDictionary();
        used.Should().Equal(new Dictionary<string, bool>
        {
            ["given_name"] = true, ["family_name"] = true, ["dob"] = true, ["postcode"] = true, ["sex"] = false,
        });
    }

    private static Dictionary<long, (string Decision, long? PersonId, bool Uncertain)> Decisions(DuckDB.NET.Data.DuckDBConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT record_key, decision, person_id, coalesce(uncertain, false) FROM pl_record_profile JOIN pl_decision USING (profile_key)";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<long, (string, long?, bool)>();
        while (reader.Read())
        {
            result[Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] =
                (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetBoolean(3));
        }

        return result;
    }
}
