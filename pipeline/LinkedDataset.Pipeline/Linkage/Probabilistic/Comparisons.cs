namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>
/// One field compared between a record and a person, with its levels from "disagrees" (0) to the
/// strongest agreement (<c>Levels.Count - 1</c>). Level -1 means a token is missing on either side:
/// that field then adds no evidence either way. <see cref="LevelSql"/> is a SQL expression on
/// <c>r</c> and <c>p</c> (token columns as hashed keys) giving the level.
/// </summary>
public sealed record Comparison(string Name, IReadOnlyList<string> Levels, string LevelSql, string? TfColumn = null)
{
    /// <summary>The exact-agreement level, whose u is term-frequency adjusted when <see cref="TfColumn"/> is set.</summary>
    public int ExactLevel => Levels.Count - 1;
}

/// <summary>The comparisons of the Fellegi–Sunter model and their levels.</summary>
public static class Comparisons
{
    /// <summary>Token columns both sides carry (hashed to UBIGINT keys inside the linker).</summary>
    public static readonly IReadOnlyList<string> TokenColumns =
        ["given", "family", "soundex", "initial", "dob", "yob", "dob_swapped", "postcode", "sector", "sex"];

    public static readonly Comparison GivenName = new(
        "given_name", ["else", "initial", "exact"],
        "CASE WHEN r.given IS NULL OR p.given IS NULL THEN -1 WHEN r.given = p.given THEN 2 WHEN r.initial = p.initial THEN 1 ELSE 0 END",
        TfColumn: "given");

    public static readonly Comparison FamilyName = new(
        "family_name", ["else", "soundex", "exact"],
        "CASE WHEN r.family IS NULL OR p.family IS NULL THEN -1 WHEN r.family = p.family THEN 2 WHEN r.soundex = p.soundex THEN 1 ELSE 0 END",
        TfColumn: "family");

    public static readonly Comparison DateOfBirth = new(
        "dob", ["else", "yob", "swapped", "exact"],
        "CASE WHEN r.dob IS NULL OR p.dob IS NULL THEN -1 WHEN r.dob = p.dob THEN 3 WHEN r.dob = p.dob_swapped OR r.dob_swapped = p.dob THEN 2 WHEN r.yob = p.yob THEN 1 ELSE 0 END");

    public static readonly Comparison Postcode = new(
        "postcode", ["else", "sector", "exact"],
        "CASE WHEN r.postcode IS NULL OR p.postcode IS NULL THEN -1 WHEN r.postcode = p.postcode THEN 2 WHEN r.sector = p.sector THEN 1 ELSE 0 END");

    public static readonly Comparison Sex = new(
        "sex", ["else", "exact"],
        "CASE WHEN r.sex IS NULL OR p.sex IS NULL THEN -1 WHEN r.sex = p.sex THEN 1 ELSE 0 END");

    /// <summary>Every comparison, in the order of the pattern vector.</summary>
    public static readonly IReadOnlyList<Comparison> All = [GivenName, FamilyName, DateOfBirth, Postcode, Sex];
}
