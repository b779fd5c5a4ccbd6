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

    /// <summary>
    /// Coarse levels: a level observed when a side is only partly known (a date of birth with only its
    /// year), mapped to the full levels it could be. Its m and u are the sums of theirs (the probability
    /// of the coarser observation), so it is not estimated itself: EM and the u sample skip it.
    /// </summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>> Coarse { get; init; } = new Dictionary<int, IReadOnlyList<int>>();

    /// <summary>An observed level as EM and the u sample count it: a coarse level counts as missing (-1).</summary>
    public int Estimable(int level) => Coarse.ContainsKey(level) ? -1 : level;

    /// <summary>Per-level probabilities of the full levels (coarse entries ignored) with each coarse level set to the sum over the levels it stands for.</summary>
    public double[] WithCoarse(double[] probabilities)
    {
        var result = (double[])probabilities.Clone();
        foreach (var (level, full) in Coarse)
        {
            result[level] = full.Sum(l => probabilities[l]);
        }

        return result;
    }
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
        ["given", "family", "soundex", "initial", "dob", "yob", "dob_swapped", "postcode", "sector", "given_soundex", "given_bloom", "family_bloom", "dob_md", "sex"];

    /// <summary>The token columns holding a name Bloom filter (64 hex characters).</summary>
    public static readonly IReadOnlyList<string> BloomColumns = ["given_bloom", "family_bloom"];

    /// <summary>Dice similarity of two Bloom filters, as SQL on the linker's bit-word columns (NULL when either is missing).</summary>
    public static string Dice(string left, string right)
    {
        var words = Enumerable.Range(1, Identity.NameBloomFilter.Words).ToList();
        return $"pl_dice({string.Join(", ", words.Select(w => $"{left}_w{w}"))}, {string.Join(", ", words.Select(w => $"{right}_w{w}"))}, {left}_n, {right}_n)";
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

    /// <summary>
    /// Date of birth: exact; day and month swapped; same day and month in another year (a mistyped
    /// year); same year only; else. When a side's full date is unknown (an impossible date keeps only
    /// its year) the levels seen are coarse: "date unknown, same year" could be any full level with the
    /// same year (year, swapped, exact), "date unknown, year differs" any with another year (else, day
    /// and month): their m and u are the sums of those levels', so a known year counts for what it is
    /// worth (about 6 bits) rather than as "same year, different date".
    /// </summary>
    public static readonly Comparison DateOfBirth = new(
        "dob", ["else", "date_unknown_year_differs", "yob", "date_unknown_same_year", "day_month", "swapped", "exact"],
        """
        CASE WHEN r.yob IS NULL OR p.yob IS NULL THEN -1 WHEN r.dob = p.dob THEN 6
             WHEN r.dob = p.dob_swapped OR r.dob_swapped = p.dob THEN 5
             WHEN r.dob IS NULL OR p.dob IS NULL THEN CASE WHEN r.yob = p.yob THEN 3 ELSE 1 END
             WHEN r.dob_md = p.dob_md THEN 4
             WHEN r.yob = p.yob THEN 2 ELSE 0 END
        """)
    {
        Coarse = new Dictionary<int, IReadOnlyList<int>> { [1] = [0, 4], [3] = [2, 5, 6] },
    };

    public static readonly Comparison Postcode = new(
        "postcode", ["else", "sector", "exact"],
        "CASE WHEN r.postcode IS NULL OR p.postcode IS NULL THEN -1 WHEN r.postcode = p.postcode THEN 2 WHEN r.sector = p.sector THEN 1 ELSE 0 END");

    public static readonly Comparison Sex = new(
        "sex", ["else", "exact"],
        "CASE WHEN r.sex IS NULL OR p.sex IS NULL THEN -1 WHEN r.sex = p.sex THEN 1 ELSE 0 END");

    /// <summary>Every comparison, in the order of the pattern vector.</summary>
    public static readonly IReadOnlyList<Comparison> All = [GivenName, FamilyName, DateOfBirth, Postcode, Sex];
}
