using System.Globalization;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>Date range checks: dates are not in the future, not before birth, and an end is not before its start.</summary>
public static partial class ValidationSql
{
    /// <summary>
    /// One <c>CASE</c> per check, each NULL for a passing row:
    /// <list type="bullet">
    /// <item>every date or timestamp (date of birth included) after <paramref name="today"/> ⇒ <c>column|date_in_future</c>;</item>
    /// <item>every date or timestamp but date of birth before a valid <c>date_of_birth</c> on the same row ⇒ <c>column|date_before_birth</c>;</item>
    /// <item>the schema's <c>end_date</c> before its <c>activity_date</c> ⇒ <c>end_date column|end_before_start</c>.</item>
    /// </list>
    /// Values that are not valid dates are left to the type checks (they come first).
    /// </summary>
    public static IEnumerable<string> RangeChecks(FeedSchema schema, IReadOnlySet<string> presentColumns, DateOnly today)
    {
        var todayLiteral = $"DATE '{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
        var dates = schema.Columns.Where(c => presentColumns.Contains(c.Name) && c.Type is ColumnType.Date or ColumnType.Timestamp).ToList();
        foreach (var column in dates)
        {
            yield return $"CASE WHEN {AsDate(column)} > {todayLiteral} THEN {Fail(column, Reasons.DateInFuture)} END";
        }

        if (presentColumns.Contains("date_of_birth") && schema.Columns.Any(c => c.Name == "date_of_birth"))
        {
            var birth = AsDate(schema.Column("date_of_birth"));
            foreach (var column in dates.Where(c => c.Name != "date_of_birth"))
            {
                yield return $"CASE WHEN {AsDate(column)} < {birth} THEN {Fail(column, Reasons.DateBeforeBirth)} END";
            }
        }

        if (schema.EndDate is { } end && presentColumns.Contains(end) && presentColumns.Contains(schema.ActivityDate))
        {
            var endColumn = schema.Column(end);
            yield return $"CASE WHEN {AsDate(endColumn)} < {AsDate(schema.Column(schema.ActivityDate))} THEN {Fail(endColumn, Reasons.EndBeforeStart)} END";
        }
    }

    /// <summary>The column as a DATE, NULL when it is empty or not a valid value of its type.</summary>
    private static string AsDate(FeedColumn column) => column.Type == ColumnType.Timestamp
        ? $"CAST(TRY_CAST({Sql.Identifier(column.Name)} AS TIMESTAMP) AS DATE)"
        : $"CAST(TRY_STRPTIME({Sql.Identifier(column.Name)}, '%Y-%m-%d') AS DATE)";
}
