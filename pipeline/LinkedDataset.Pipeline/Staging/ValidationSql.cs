using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// Turns a feed schema into the SQL that checks and casts its columns. Every check yields a reason
/// code; the first failing column (in schema order) is the one a quarantined row is reported under.
/// </summary>
public static partial class ValidationSql
{
    /// <summary>Reason codes a row can be quarantined with.</summary>
    public static class Reasons
    {
        public const string MissingRequired = "missing_required";
        public const string InvalidInteger = "invalid_integer";
        public const string InvalidDecimal = "invalid_decimal";
        public const string InvalidDate = "invalid_date";
        public const string InvalidTimestamp = "invalid_timestamp";
        public const string InvalidFlag = "invalid_flag";
        public const string CodeNotInCodeSet = "code_not_in_code_set";
        public const string DateInFuture = "date_in_future";
        public const string DateBeforeBirth = "date_before_birth";
        public const string EndBeforeStart = "end_before_start";
        public const string TooLong = "too_long";
        public const string OutOfRange = "out_of_range";
        public const string ProviderMismatch = "provider_mismatch";
    }

    /// <summary>
    /// An expression that is NULL for a valid row, else <c>'column|reason'</c> for its first failure.
    /// Columns absent from the file count as empty (their required-ness is checked on the header first).
    /// </summary>
    public static string FailureExpression(FeedSchema schema, IReadOnlySet<string> presentColumns) => FailureExpression(schema, presentColumns, null);

    /// <summary>
    /// As above, plus the value checks (<see cref="ValueChecks"/>: lengths, number ranges, and the
    /// provider code against <paramref name="provider"/>, the file name's provider, when given) and
    /// the date range checks (<see cref="RangeChecks"/>) when <paramref name="today"/> is given. Type
    /// checks come first, so a malformed value is reported as such, then value checks, then dates.
    /// </summary>
    public static string FailureExpression(FeedSchema schema, IReadOnlySet<string> presentColumns, DateOnly? today, string? provider = null)
    {
        var checks = schema.Columns
            .Where(c => presentColumns.Contains(c.Name))
            .Select(c => Check(c))
            .Where(sql => sql is not null)
            .Concat(ValueChecks(schema, presentColumns, provider))
            .Concat(today is { } t ? RangeChecks(schema, presentColumns, t) : []);
        return "COALESCE(" + string.Join(",\n  ", checks.Append("NULL")) + ")";
    }

    /// <summary>The typed value of a column whose row passed validation.</summary>
    public static string CastExpression(FeedColumn column) => column.Type switch
    {
        ColumnType.Flag => $"CASE upper({Sql.Identifier(column.Name)}) WHEN 'Y' THEN true WHEN 'N' THEN false END",
        ColumnType.String or ColumnType.Code => Sql.Identifier(column.Name),
        _ => $"CAST({Sql.Identifier(column.Name)} AS {column.DuckDbType})",
    };

    private static string? Check(FeedColumn column)
    {
        var name = Sql.Identifier(column.Name);
        var parts = new List<string>();
        if (column.Required)
        {
            parts.Add($"WHEN {name} IS NULL THEN {Fail(column, Reasons.MissingRequired)}");
        }

        var typeCheck = column.Type switch
        {
            ColumnType.Integer => ($"TRY_CAST({name} AS BIGINT) IS NULL", Reasons.InvalidInteger),
            ColumnType.Decimal => ($"TRY_CAST({name} AS DECIMAL(18,2)) IS NULL", Reasons.InvalidDecimal),
            ColumnType.Date => ($"TRY_STRPTIME({name}, '%Y-%m-%d') IS NULL", Reasons.InvalidDate),
            ColumnType.Timestamp => ($"TRY_CAST({name} AS TIMESTAMP) IS NULL", Reasons.InvalidTimestamp),
            ColumnType.Flag => ($"upper({name}) NOT IN ('Y', 'N')", Reasons.InvalidFlag),
            ColumnType.Code => ($"{name} NOT IN ({string.Join(", ", column.Codes!.Keys.Select(Sql.Literal))})", Reasons.CodeNotInCodeSet),
            _ => ((string, string)?)null,
        };
        if (typeCheck is var (condition, reason))
        {
            parts.Add($"WHEN {name} IS NOT NULL AND {condition} THEN {Fail(column, reason)}");
        }

        return parts.Count == 0 ? null : "CASE " + string.Join(" ", parts) + " END";
    }

    private static string Fail(FeedColumn column, string reason) => Sql.Literal(column.Name + "|" + reason);
}
