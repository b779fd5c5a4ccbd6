using System.Text;

namespace LinkedDataset.Pipeline.Feeds;

/// <summary>
/// Renders the feed schemas as a Markdown data dictionary (<c>schemas/DATA_DICTIONARY.md</c>):
/// one section per feed with its title, standard, what one row is, and a table of columns.
/// The committed file is checked against this rendering by a test, so it cannot go stale.
/// </summary>
public static class DataDictionary
{
    /// <summary>Renders every feed in <see cref="FeedSchemaLoader.FeedNames"/> order.</summary>
    public static string Render(IReadOnlyDictionary<string, FeedSchema> schemas)
    {
        var md = new StringBuilder();
        md.Append("# Feed data dictionary\n\n");
        md.Append("Generated from `schemas/feeds/*.yaml` by `DataDictionary.Render`; do not edit by hand.\n");
        md.Append("Columns marked *identity* are the shared identity contract (`_identity.yaml`), replaced by\n");
        md.Append("pseudonymised columns in staging.\n\n");
        md.Append("| feed | one row is | record id | activity date |\n|---|---|---|---|\n");
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(schemas.ContainsKey))
        {
            var s = schemas[feed];
            md.Append($"| [`{s.Feed}`](#{s.Feed}) | {Cell(s.OneRowIs)} | `{s.RecordId}` | `{s.ActivityDate}` |\n");
        }

        md.Append(RowChecks);
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(schemas.ContainsKey))
        {
            RenderFeed(md, schemas[feed]);
        }

        return md.ToString();
    }

    // What staging does with the columns below; the codes are ValidationSql.Reasons (Staging),
    // written out here because the Feeds folder sits below Staging and cannot use it.
    private const string RowChecks = """

        ## Row checks

        Staging checks every row against its feed's columns; the first failing check is the row's
        quarantine reason (`quarantine/<feed>/<extract id>.parquet`: source row, column, reason; no contents).
        In order: type checks column by column (`missing_required`, `invalid_integer`, `invalid_decimal`,
        `invalid_date`, `invalid_timestamp`, `invalid_flag`, `code_not_in_code_set`); then the **limits**
        column by column: `too_long` (text longer than its maximum length, in characters) and
        `out_of_range` (a number below its minimum or above its maximum, e.g. a negative tariff or length
        of stay); then `provider_mismatch` (`provider_code` is not the provider in the file name
        `<feed>_<provider>_<YYYY-MM>.csv`: a row reason, so the rest of the file stages); then dates
        (`date_in_future`, `date_before_birth`, `end_before_start`).

        """;

    /// <summary>Renders the shipped schemas.</summary>
    public static string Render() => Render(FeedSchemaLoader.LoadAll());

    private static void RenderFeed(StringBuilder md, FeedSchema s)
    {
        md.Append($"\n## {s.Feed}\n\n");
        md.Append($"**{Cell(s.Title)}**\n\n");
        md.Append($"- Standard: {Cell(s.Standard)}\n");
        md.Append($"- One row is: {Cell(s.OneRowIs)}\n");
        md.Append($"- Record id: `{s.RecordId}`; activity date: `{s.ActivityDate}`");
        md.Append(s.EndDate is null ? "\n" : $"; end date: `{s.EndDate}`\n");
        md.Append($"- Schema version: `{s.Version}`\n\n");
        md.Append("| column | type | required | limits | description | codes |\n|---|---|---|---|---|---|\n");
        foreach (var c in s.Columns)
        {
            var type = c.Type.ToString().ToLowerInvariant();
            var required = c.Required ? "yes" : "no";
            var description = Cell(c.Description) + (c.IsIdentity ? " *(identity)*" : "");
            var codes = c.Codes is null ? "" : string.Join("; ", c.Codes.Select(kv => $"`{Cell(kv.Key)}` {Cell(kv.Value)}"));
            md.Append($"| `{c.Name}` | {type} | {required} | {Limits(c)} | {description} | {codes} |\n");
        }
    }

    /// <summary>"≤ 64 characters", "≥ 0", "0 to 100", or empty.</summary>
    private static string Limits(FeedColumn c)
    {
        var parts = new List<string>();
        if (c.MaxLength is { } length)
        {
            parts.Add($"≤ {length.ToString(System.Globalization.CultureInfo.InvariantCulture)} characters");
        }

        var (min, max) = (c.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        parts.Add((min, max) switch
        {
            (not null, not null) => $"{min} to {max}",
            (not null, null) => $"≥ {min}",
            (null, not null) => $"≤ {max}",
            _ => "",
        });
        return string.Join(", ", parts.Where(p => p.Length > 0));
    }

    private static string Cell(string text) => text.Replace("\r", "").Replace("\n", " ").Replace("|", "\\|").Trim();
}
