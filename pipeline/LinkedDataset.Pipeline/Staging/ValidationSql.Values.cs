using System.Globalization;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>Value checks from the schema: text not longer than its <c>max_length</c>, numbers within <c>min</c>/<c>max</c>, and the row's provider.</summary>
public static partial class ValidationSql
{
    /// <summary>The column every feed names its provider in; it must be the provider of the file name.</summary>
    public const string ProviderColumn = "provider_code";

    /// <summary>
    /// One <c>CASE</c> per check, each NULL for a passing row, in schema order:
    /// <list type="bullet">
    /// <item>a text value longer than the column's <c>max_length</c> (in characters) ⇒ <c>column|too_long</c>;</item>
    /// <item>a number below the column's <c>min</c> or above its <c>max</c> (e.g. a negative tariff or length of stay) ⇒ <c>column|out_of_range</c>;</item>
    /// <item>then a <c>provider_code</c> other than <paramref name="provider"/> (the file name's) ⇒ <c>provider_code|provider_mismatch</c>.</item>
    /// </list>
    /// Values that are not valid numbers are left to the type checks (they come first).
    /// </summary>
    public static IEnumerable<string> ValueChecks(FeedSchema schema, IReadOnlySet<string> presentColumns, string? provider)
    {
        foreach (var column in schema.Columns.Where(c => presentColumns.Contains(c.Name)))
        {
            var name = Sql.Identifier(column.Name);
            if (column.MaxLength is { } maxLength)
            {
                yield return $"CASE WHEN length({name}) > {maxLength.ToString(CultureInfo.InvariantCulture)} THEN {Fail(column, Reasons.TooLong)} END";
            }

            var limits = new[] { (Bound: column.Minimum, Operator: "<"), (Bound: column.Maximum, Operator: ">") }.Where(l => l.Bound is not null).ToList();
            if (limits.Count > 0)
            {
                var value = column.Type == ColumnType.Integer ? $"TRY_CAST({name} AS BIGINT)" : $"TRY_CAST({name} AS DECIMAL(18,2))";
                var outside = string.Join(" OR ", limits.Select(l => $"{value} {l.Operator} {l.Bound!.Value.ToString(CultureInfo.InvariantCulture)}"));
                yield return $"CASE WHEN {outside} THEN {Fail(column, Reasons.OutOfRange)} END";
            }
        }

        if (provider is not null && presentColumns.Contains(ProviderColumn) && schema.Columns.Any(c => c.Name == ProviderColumn))
        {
            yield return $"CASE WHEN {Sql.Identifier(ProviderColumn)} IS DISTINCT FROM {Sql.Literal(provider)} AND {Sql.Identifier(ProviderColumn)} IS NOT NULL THEN {Fail(schema.Column(ProviderColumn), Reasons.ProviderMismatch)} END";
        }
    }
}
