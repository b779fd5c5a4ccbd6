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

        foreach (var feed in FeedSchemaLoader.FeedNames.Where(schemas.ContainsKey))
        {
            RenderFeed(md, schemas[feed]);
        }

        return md.ToString();
    }

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
        md.Append("| column | type | required | description | codes |\n|---|---|---|---|---|\n");
        foreach (var c in s.Columns)
        {
            var type = c.Type.ToString().ToLowerInvariant();
            var required = c.Required ? "yes" : "no";
            var description = Cell(c.Description) + (c.IsIdentity ? " *(identity)*" : "");
            var codes = c.Codes is null ? "" : string.Join("; ", c.Codes.Select(kv => $"`{Cell(kv.Key)}` {Cell(kv.Value)}"));
            md.Append($"| `{c.Name}` | {type} | {required} | {description} | {codes} |\n");
        }
    }

    private static string Cell(string text) => text.Replace("\r", "").Replace("\n", " ").Replace("|", "\\|").Trim();
}
