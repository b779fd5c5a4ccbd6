namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>
/// One field compared between a record and a person, with its levels from "disagrees" (0) to the
/// strongest agreement (<c>Levels.Count - 1</c>). Level -1 means a token is missing on either side:
/// that field then adds no evidence either way. <see cref="LevelSql"/> is a SQL expression on
/// <c>r</c> and <c>p</c> (token columns as hashed keys, Bloom filters as four 64-bit words) giving the level.
/// </summary>
public sealed record Comparison(string Name, IReadOnlyList<string> Levels, string LevelSql, string? TfColumn = null)
{
    /// <summary>The exact-agreement level, whose u is term-frequency adjusted when <see cref="TfColumn"/> is set.</summary>
    public int ExactLevel => Levels.Count - 1;
}

/// <summary>The comparisons of the Fellegi–Sunter model and their levels.</summary>
public static class Comparisons
{
    /// <summary>Dice similarity at or above which two names' bigram sets are "close" (one typo in a longer name: about 0.8–0.9).</summary>
    public const double CloseDice = 0.8;

    /// <summary>Dice similarity at or above which two names are "fuzzy" (two edits, or one in a short name).</summary>
    public const double FuzzyDice = 0.6;

    private const string Close = "0.8", Fuzzy = "0.6";

    /// <summary>Token columns both sides carry (hashed to UBIGINT keys inside the linker; the two Bloom filters are also split into bit words).</summary>
    public static readonly IReadOnlyList<string> TokenColumns =
        ["given", "family", "soundex", "initial", "dob", "yob", "dob_swapped", "postcode", "sector", "given_soundex", "given_bloom", "family_bloom", "sex"];

    /// <summary>The token columns holding a name Bloom filter (64 hex characters).</summary>
    public static readonly IReadOnlyList<string> BloomColumns = ["given_bloom", "family_bloom"];

    /// <summary>Dice similarity of two Bloom filters, as SQL on the linker's bit-word columns (NULL when either is missing).</summary>
    public static string Dice(string left, string right)
    {
        var words = Enumerable.Range(1, Identity.NameBloomFilter.Words).ToList();
        return $"pl_dice({string.Join(", ", words.Select(w => $"{left}_w{w}"))}, {string.Join(", ", words.Select(w => $"{right}_w{w}"))})";
    }

    private static readonly string Swapped =
        $"{Dice("r.given_bloom", "p.family_bloom")} >= {Close} AND {Dice("r.family_bloom", "p.given_bloom")} >= {Close}";

    /// <summary>
    /// Given name: exact (term-frequency adjusted), swapped with the family name both ways (the
    /// family-name comparison then adds nothing: this level carries both), close or fuzzy by the Dice
    /// similarity of the keyed bigram Bloom filters, same initial, else.
    /// </summary>
    public static readonly Comparison GivenName = new(
        "given_name", ["else", "initial", "fuzzy", "close", "swapped", "exact"],
        $"""
        CASE WHEN r.given IS NULL OR p.given IS NULL THEN -1 WHEN r.given = p.given THEN 5
             WHEN {Swapped} THEN 4
             WHEN {Dice("r.given_bloom", "p.given_bloom")} >= {Close} THEN 3
             WHEN {Dice("r.given_bloom", "p.given_bloom")} >= {Fuzzy} THEN 2
             WHEN r.initial = p.initial THEN 1 ELSE 0 END
        """,
        TfColumn: "given");

    /// <summary>Family name: exact (term-frequency adjusted), close or fuzzy by Dice, same Soundex, else; missing when the names are swapped (see <see cref="GivenName"/>).</summary>
    public static readonly Comparison FamilyName = new(
        "family_name", ["else", "soundex", "fuzzy", "close", "exact"],
        $"""
        CASE WHEN r.family IS NULL OR p.family IS NULL THEN -1 WHEN r.family = p.family THEN 4
             WHEN r.given IS NOT NULL AND p.given IS NOT NULL AND r.given <> p.given AND {Swapped} THEN -1
             WHEN {Dice("r.family_bloom", "p.family_bloom")} >= {Close} THEN 3
             WHEN {Dice("r.family_bloom", "p.family_bloom")} >= {Fuzzy} THEN 2
             WHEN r.soundex = p.soundex THEN 1 ELSE 0 END
        """,
        TfColumn: "family");

    /// <summary>Date of birth: exact, day and month swapped, same year only (also when the record's date was impossible and only its year is known), else.</summary>
    public static readonly Comparison DateOfBirth = new(
        "dob", ["else", "yob", "swapped", "exact"],
        "CASE WHEN r.yob IS NULL OR p.yob IS NULL THEN -1 WHEN r.dob = p.dob THEN 3 WHEN r.dob = p.dob_swapped OR r.dob_swapped = p.dob THEN 2 WHEN r.yob = p.yob THEN 1 ELSE 0 END");

    public static readonly Comparison Postcode = new(
        "postcode", ["else", "sector", "exact"],
        "CASE WHEN r.postcode IS NULL OR p.postcode IS NULL THEN -1 WHEN r.postcode = p.postcode THEN 2 WHEN r.sector = p.sector THEN 1 ELSE 0 END");

    public static readonly Comparison Sex = new(
        "sex", ["else", "exact"],
        "CASE WHEN r.sex IS NULL OR p.sex IS NULL THEN -1 WHEN r.sex = p.sex THEN 1 ELSE 0 END");

    /// <summary>Every comparison, in the order of the pattern vector.</summary>
    public static readonly IReadOnlyList<Comparison> All = [GivenName, FamilyName, DateOfBirth, Postcode, Sex];
}
