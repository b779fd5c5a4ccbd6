using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>Reasons an identity value is made missing for linkage (the row still stages).</summary>
public static class IdentityReasons
{
    /// <summary>Not a real date written <c>YYYY-MM-DD</c> (e.g. <c>1956-02-31</c>); an impossible but well-shaped date keeps its year of birth.</summary>
    public const string InvalidDate = "invalid_date";

    /// <summary>A date of birth after today.</summary>
    public const string DateInFuture = "date_in_future";

    /// <summary>A date of birth after another date on the same row (the activity cannot precede birth: the birth date is the suspect).</summary>
    public const string AfterActivityDate = "after_activity_date";

    /// <summary>A sex code outside the NHS Data Dictionary set.</summary>
    public const string CodeNotInCodeSet = "code_not_in_code_set";

    /// <summary>A postcode that is not UK-shaped.</summary>
    public const string InvalidPostcode = "invalid_postcode";

    /// <summary>A UPRN that is not 1–12 digits or is zero.</summary>
    public const string InvalidUprn = "invalid_uprn";

    /// <summary>A token in a pseudonymised extract that is not lowercase hex of the right length.</summary>
    public const string InvalidToken = "invalid_token";
}

/// <summary>
/// Identity never costs a row: an invalid or impossible identity value makes that identifier
/// missing for linkage and is counted per column and reason; the row stages. Content columns keep
/// their checks. Runs on table <c>raw</c> before the row checks, so no identity value can fail them
/// (including <c>date_before_birth</c>, which would otherwise blame the activity for a bad birth date).
/// </summary>
public sealed partial class ExtractStager
{
    /// <summary>The column holding the year of an impossible but well-shaped date of birth (never staged).</summary>
    private const string DobYearOnly = "ldp_dob_year_only";

    /// <summary>
    /// Creates table <c>checked</c> from <c>raw</c> in one statement: <c>source_row</c> (1 = first data row; rowid
    /// follows the file's row order), the columns with invalid identity values made missing, <see cref="DobYearOnly"/>,
    /// the row's <c>failure</c> (checked on the cleaned values) and one <c>ldp_identity_N</c> reason per identity
    /// check. Returns the identity values made missing by <c>column|reason</c>, over every row read.
    /// </summary>
    private static Dictionary<string, long> CreateChecked(DuckDBConnection db, FeedSchema schema, IReadOnlyList<string> header, IReadOnlySet<string> present, FeedForm form, DateOnly today, string provider)
    {
        var checks = form == FeedForm.Identifiable ? IdentifiableChecks(schema, present, today) : PseudonymisedChecks(schema, present);
        var issue = checks.Select((c, i) => (c.Column, c.Reason, Name: $"ldp_identity_{i}")).ToList();

        // The year of an impossible but well-shaped date is still evidence (PseudonymisedForm.YearOfImpossibleDate, same rule),
        // taken from the value as read, before it is made missing.
        var dobIssue = issue.FirstOrDefault(c => c.Column == "date_of_birth").Name;
        var dobYear = form == FeedForm.Identifiable && present.Contains("date_of_birth") && dobIssue is not null
            ? $"""
              CASE WHEN {dobIssue} = '{IdentityReasons.InvalidDate}'
                         AND regexp_full_match(trim(date_of_birth), {Sql.Literal("[0-9]{4}-[0-9]{2}-[0-9]{2}")}) AND CAST(substr(trim(date_of_birth), 1, 4) AS INTEGER) >= 1000
                   THEN CAST(substr(trim(date_of_birth), 1, 4) AS INTEGER) END
              """
            : "CAST(NULL AS INTEGER)";
        var cleaned = header.Select(h => issue.Where(c => c.Column == h).Select(c => c.Name).ToList() is { Count: > 0 } reasons
            ? $"CASE WHEN {string.Join(" AND ", reasons.Select(r => r + " IS NULL"))} THEN {Sql.Identifier(h)} END AS {Sql.Identifier(h)}"
            : Sql.Identifier(h));
        var issueColumns = string.Concat(issue.Select(c => $", {c.Reason} AS {c.Name}"));
        var issueNames = string.Concat(issue.Select(c => ", " + c.Name));
        DuckDb.Execute(db, $"""
            CREATE TABLE checked AS
            SELECT source_row, * EXCLUDE (source_row{issueNames}), {FailureSql(schema, present, form, today, provider)} AS failure{issueNames}
            FROM (
              SELECT source_row, {string.Join(", ", cleaned)}, {dobYear} AS {DobYearOnly}{issueNames}
              FROM (SELECT rowid + 1 AS source_row, *{issueColumns} FROM raw)
            )
            """);

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (issue.Count == 0)
        {
            return counts;
        }

        var unpivot = string.Join("\nUNION ALL\n", issue.Select(c => $"SELECT {Sql.Literal(c.Column + "|")} || {c.Name} AS k FROM checked WHERE {c.Name} IS NOT NULL"));
        foreach (var (key, count) in db.Query<(string Key, long Count)>($"SELECT k, count(*) FROM ({unpivot}) GROUP BY 1 ORDER BY 1"))
        {
            counts[key] = count;
        }

        return counts;
    }

    private static List<(string Column, string Reason)> IdentifiableChecks(FeedSchema schema, IReadOnlySet<string> header, DateOnly today)
    {
        var checks = new List<(string, string)>();
        if (header.Contains("date_of_birth"))
        {
            const string dob = "CAST(TRY_STRPTIME(date_of_birth, '%Y-%m-%d') AS DATE)";
            var others = schema.Columns
                .Where(c => c.Name != "date_of_birth" && header.Contains(c.Name) && c.Type is ColumnType.Date or ColumnType.Timestamp)
                .Select(c => c.Type == ColumnType.Timestamp
                    ? $"CAST(TRY_CAST({Sql.Identifier(c.Name)} AS TIMESTAMP) AS DATE) < {dob}"
                    : $"CAST(TRY_STRPTIME({Sql.Identifier(c.Name)}, '%Y-%m-%d') AS DATE) < {dob}")
                .ToList();
            var after = others.Count == 0 ? "" : $" WHEN {string.Join(" OR ", others)} THEN '{IdentityReasons.AfterActivityDate}'";
            checks.Add(("date_of_birth", $"""
                CASE WHEN date_of_birth IS NULL THEN NULL
                     WHEN {dob} IS NULL THEN '{IdentityReasons.InvalidDate}'
                     WHEN {dob} > DATE '{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' THEN '{IdentityReasons.DateInFuture}'{after} END
                """));
        }

        if (header.Contains("sex"))
        {
            checks.Add(("sex", SexCheck(schema)));
        }

        if (header.Contains("postcode"))
        {
            // The shape IdentityNormaliser.Postcode accepts: whitespace removed, upper case, UK-shaped.
            checks.Add(("postcode", $"""
                CASE WHEN postcode IS NOT NULL AND NOT regexp_full_match(upper(regexp_replace(postcode, '\s', '', 'g')), {Sql.Literal("(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)")})
                     THEN '{IdentityReasons.InvalidPostcode}' END
                """));
        }

        if (header.Contains("uprn"))
        {
            // As Pseudonymiser.HouseholdToken: trimmed, 1-12 digits, not zero.
            checks.Add(("uprn", $"""
                CASE WHEN uprn IS NOT NULL AND (NOT regexp_full_match(trim(uprn), {Sql.Literal("[0-9]{1,12}")}) OR ltrim(trim(uprn), '0') = '') THEN '{IdentityReasons.InvalidUprn}' END
                """));
        }

        return checks;
    }

    private static List<(string Column, string Reason)> PseudonymisedChecks(FeedSchema schema, IReadOnlySet<string> header)
    {
        var checks = new[] { PseudonymisedForm.PersonToken, PseudonymisedForm.HouseholdToken }.Concat(PseudonymisedForm.MatchTokenColumns)
            .Where(header.Contains)
            .Select(c => (c, $"CASE WHEN {Sql.Identifier(c)} IS NOT NULL AND NOT regexp_full_match({Sql.Identifier(c)}, {Sql.Literal("[0-9a-f]{" + (PseudonymisedForm.BloomColumns.Contains(c) ? NameBloomFilter.HexLength : 32) + "}")}) THEN '{IdentityReasons.InvalidToken}' END"))
            .ToList();
        if (header.Contains(PseudonymisedForm.BirthMonth))
        {
            checks.Add((PseudonymisedForm.BirthMonth, $"CASE WHEN birth_month IS NOT NULL AND TRY_STRPTIME(birth_month || '-01', '%Y-%m-%d') IS NULL THEN '{IdentityReasons.InvalidDate}' END"));
        }

        if (header.Contains("sex"))
        {
            checks.Add(("sex", SexCheck(schema)));
        }

        return checks;
    }

    private static string SexCheck(FeedSchema schema) =>
        $"CASE WHEN sex IS NOT NULL AND sex NOT IN ({string.Join(", ", schema.Column("sex").Codes!.Keys.Select(Sql.Literal))}) THEN '{IdentityReasons.CodeNotInCodeSet}' END";
}
