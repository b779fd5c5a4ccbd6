using System.Globalization;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// The pseudonymised form of the identity contract (DESIGN.md): the columns that replace
/// <c>nhs_number</c>, names, date of birth, postcode and UPRN, both in the file
/// <c>ldp pseudonymise</c> writes at source and in staged Parquet. One definition, used by both,
/// so the two forms cannot drift apart.
/// </summary>
public static class PseudonymisedForm
{
    public const string PersonToken = "person_token";
    public const string BirthMonth = "birth_month";
    public const string Sex = "sex";
    public const string Lsoa = "lsoa11cd";
    public const string HouseholdToken = "household_token";
    public const string KeyId = "key_id";

    /// <summary>One column per match token, in the order of <see cref="Identity.MatchTokens"/>.</summary>
    public static readonly IReadOnlyList<string> MatchTokenColumns =
    [
        "mt_given_name", "mt_family_name", "mt_family_soundex", "mt_first_initial",
        "mt_dob", "mt_yob", "mt_dob_swapped", "mt_postcode", "mt_postcode_sector",
        "mt_given_soundex", "mt_given_bloom", "mt_family_bloom", "mt_dob_day_month",
    ];

    /// <summary>Match token columns holding a keyed bigram set (<see cref="NameBloomFilter.HexLength"/> hex characters) rather than a 32-hex token.</summary>
    public static readonly IReadOnlyList<string> BloomColumns = ["mt_given_bloom", "mt_family_bloom"];

    /// <summary>Every column of the pseudonymised identity, in file order (after the feed's content columns).</summary>
    public static readonly IReadOnlyList<string> Columns =
        [PersonToken, .. MatchTokenColumns, BirthMonth, Sex, Lsoa, HouseholdToken, KeyId];

    /// <summary>The match token values in <see cref="MatchTokenColumns"/> order.</summary>
    public static string?[] Values(MatchTokens tokens) =>
    [
        tokens.GivenName, tokens.FamilyName, tokens.FamilyNamePhonetic, tokens.FirstInitial,
        tokens.DateOfBirth, tokens.YearOfBirth, tokens.DateOfBirthSwapped, tokens.Postcode, tokens.PostcodeSector,
        tokens.GivenNamePhonetic, tokens.GivenNameBloom, tokens.FamilyNameBloom, tokens.DayMonthOfBirth,
    ];

    /// <summary>
    /// The year of a date of birth that is well-shaped (<c>YYYY-MM-DD</c>) but impossible, such as
    /// <c>1956-02-31</c> or <c>1980-13-01</c>: the date is missing for linkage but its year is still
    /// evidence. Null for a valid date, a missing value or any other shape.
    /// </summary>
    public static int? YearOfImpossibleDate(string? raw)
    {
        var text = raw.AsSpan().Trim();
        if (text.Length != 10 || text[4] != '-' || text[7] != '-' || ParseDateOfBirth(raw) is not null)
        {
            return null;
        }

        foreach (var i in (int[])[0, 1, 2, 3, 5, 6, 8, 9])
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return null;
            }
        }

        var year = int.Parse(text[..4], CultureInfo.InvariantCulture);
        return year >= 1000 ? year : null;
    }

    /// <summary>A date of birth written <c>YYYY-MM-DD</c> (surrounding spaces ignored); null when missing or not a real date.</summary>
    public static DateOnly? ParseDateOfBirth(string? raw) =>
        DateOnly.TryParseExact(raw.AsSpan().Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>The key a postcode is looked up by in a postcode → LSOA file: spaces removed, upper case (as staging joins).</summary>
    public static string? PostcodeLookupKey(string? raw) =>
        string.IsNullOrEmpty(raw) ? null : raw.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
}
