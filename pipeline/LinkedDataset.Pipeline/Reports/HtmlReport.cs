using System.Globalization;
using System.Text;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>
/// A report page built top to bottom (headings, paragraphs, tables, charts) and saved as one
/// self-contained HTML file: the shared stylesheet inline, charts as inline SVG, no scripts, nothing
/// fetched, and the <see cref="Provenance"/> block at the foot. <see cref="SaveMarkdown"/> writes the
/// same content as Markdown with the charts as PNG and SVG files beside it (for notebooks).
/// </summary>
public sealed class HtmlReport(string title, Provenance provenance)
{
    private readonly List<Block> blocks = [];

    /// <summary>The page title (the only <c>h1</c>).</summary>
    public string Title { get; } = title;

    /// <summary>Where the figures came from; shown at the foot of the page.</summary>
    public Provenance Provenance { get; } = provenance;

    /// <summary>A section heading (<c>h2</c>).</summary>
    public HtmlReport Heading(string text) => Add(new HeadingBlock(text, 2));

    /// <summary>A sub-section heading (<c>h3</c>).</summary>
    public HtmlReport Subheading(string text) => Add(new HeadingBlock(text, 3));

    /// <summary>A paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text) => Add(new ParagraphBlock(text, Note: false));

    /// <summary>A highlighted paragraph (e.g. "not for release").</summary>
    public HtmlReport Note(string text) => Add(new ParagraphBlock(text, Note: true));

    /// <summary>A table; numeric columns right-aligned. A table with no rows shows "No rows." instead.</summary>
    public HtmlReport Table(ReportTable table) => Add(new TableBlock(table));

    /// <summary>A chart with a caption under it.</summary>
    public HtmlReport Chart(Chart chart, string caption) => Add(new ChartBlock(chart, caption));

    /// <summary>A list of links to other pages, by relative path (index pages).</summary>
    public HtmlReport Links(IEnumerable<(string Text, string RelativePath)> links)
    {
        var list = links.ToList();
        foreach (var (_, path) in list)
        {
            if (path.Contains(':', StringComparison.Ordinal) || path.StartsWith('/') || path.Contains("..", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Report links are relative paths inside the report folder; '{path}' is not.", nameof(links));
            }
        }

        return Add(new LinksBlock(list));
    }

    /// <summary>The page as HTML.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(HtmlText.Encode(Title)).Append("</title>\n<style>\n").Append(ReportStyle.Css).Append("\n</style></head>\n<body>\n")
            .Append("<h1>").Append(HtmlText.Encode(Title)).Append("</h1>\n");
        var chartNumber = 0;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock h:
                    html.Append(CultureInfo.InvariantCulture, $"<h{h.Level}>{HtmlText.Encode(h.Text)}</h{h.Level}>\n");
                    break;
                case ParagraphBlock p:
                    html.Append(p.Note ? "<p class=\"note\">" : "<p>").Append(HtmlText.Encode(p.Text)).Append("</p>\n");
                    break;
                case TableBlock t:
                    AppendTable(html, t.Table);
                    break;
                case ChartBlock c:
                    chartNumber++;
                    html.Append("<figure class=\"chart\">")
                        .Append(c.Chart.SvgWithIdPrefix($"c{chartNumber}-").Replace("<svg ", $"<svg role=\"img\" aria-label=\"{HtmlText.Encode(c.Caption)}\" ", StringComparison.Ordinal))
                        .Append("<figcaption>").Append(HtmlText.Encode(c.Caption)).Append("</figcaption></figure>\n");
                    break;
                case LinksBlock l:
                    html.Append("<nav class=\"index\"><ul>");
                    foreach (var (text, path) in l.Links)
                    {
                        html.Append("<li><a href=\"").Append(HtmlText.Encode(path)).Append("\">").Append(HtmlText.Encode(text)).Append("</a></li>");
                    }

                    html.Append("</ul></nav>\n");
                    break;
            }
        }

        AppendProvenance(html);
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> (whole or not at all) and returns the path.</summary>
    public string Save(string path)
    {
        AtomicFile.WriteAllText(path, ToHtml());
        return path;
    }

    /// <summary>
    /// Writes the content as Markdown to <paramref name="path"/>, each chart as
    /// <c>&lt;name&gt;-chart-N.png</c> and <c>.svg</c> beside it (referenced as the PNG), provenance last.
    /// </summary>
    public string SaveMarkdown(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var stem = Path.GetFileNameWithoutExtension(path);
        var md = new StringBuilder().Append("# ").Append(MarkdownText(Title)).Append("\n\n");
        var chartNumber = 0;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock h:
                    md.Append(new string('#', h.Level)).Append(' ').Append(MarkdownText(h.Text)).Append("\n\n");
                    break;
                case ParagraphBlock p:
                    md.Append(p.Note ? "> " : "").Append(MarkdownText(p.Text)).Append("\n\n");
                    break;
                case TableBlock t:
                    AppendMarkdownTable(md, t.Table);
                    break;
                case ChartBlock c:
                    chartNumber++;
                    var name = FormattableString.Invariant($"{stem}-chart-{chartNumber}");
                    c.Chart.SavePng(Path.Combine(folder, name + ".png"));
                    c.Chart.SaveSvg(Path.Combine(folder, name + ".svg"));
                    md.Append("![").Append(MarkdownText(c.Caption)).Append("](").Append(name).Append(".png)\n\n*").Append(MarkdownText(c.Caption)).Append("*\n\n");
                    break;
                case LinksBlock l:
                    foreach (var (text, link) in l.Links)
                    {
                        md.Append("- [").Append(MarkdownText(text)).Append("](").Append(link).Append(")\n");
                    }

                    md.Append('\n');
                    break;
            }
        }

        md.Append("## Provenance\n\n");
        foreach (var (name, value) in ProvenanceRows())
        {
            md.Append("- **").Append(MarkdownText(name)).Append("**: ").Append(MarkdownText(value)).Append('\n');
        }

        AtomicFile.WriteAllText(path, md.ToString());
        return path;
    }

    private HtmlReport Add(Block block)
    {
        blocks.Add(block);
        return this;
    }

    private static void AppendTable(StringBuilder html, ReportTable table)
    {
        if (table.Rows.Count == 0)
        {
            html.Append("<p class=\"empty\">").Append(HtmlText.Encode(table.Caption is null ? "No rows." : table.Caption + ": no rows.")).Append("</p>\n");
            return;
        }

        var numeric = Enumerable.Range(0, table.Columns.Count).Select(table.IsNumericColumn).ToArray();
        html.Append("<div class=\"table-wrap\"><table>");
        if (table.Caption is not null)
        {
            html.Append("<caption>").Append(HtmlText.Encode(table.Caption)).Append("</caption>");
        }

        html.Append("<thead><tr>");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            html.Append(numeric[i] ? "<th class=\"num\">" : "<th>").Append(HtmlText.Encode(table.Columns[i])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                var cell = row[i] as ReportCell;
                var classes = string.Join(' ', new[] { numeric[i] ? "num" : null, cell is { Tone: not CellTone.None } ? "tone-" + cell.Tone.ToString().ToLowerInvariant() : null }.OfType<string>());
                html.Append("<td");
                if (classes.Length > 0)
                {
                    html.Append(" class=\"").Append(classes).Append('"');
                }

                if (cell?.Tooltip is { } tooltip)
                {
                    html.Append(" title=\"").Append(HtmlText.Encode(tooltip)).Append('"');
                }

                html.Append('>').Append(HtmlText.Encode(ReportTable.Format(row[i]))).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n");
    }

    private static void AppendMarkdownTable(StringBuilder md, ReportTable table)
    {
        if (table.Caption is not null)
        {
            md.Append("**").Append(MarkdownText(table.Caption)).Append("**\n\n");
        }

        if (table.Rows.Count == 0)
        {
            md.Append("No rows.\n\n");
            return;
        }

        var numeric = Enumerable.Range(0, table.Columns.Count).Select(table.IsNumericColumn).ToArray();
        md.Append("| ").Append(string.Join(" | ", table.Columns.Select(MarkdownCell))).Append(" |\n|");
        md.Append(string.Join("|", numeric.Select(n => n ? "---:" : "---"))).Append("|\n");
        foreach (var row in table.Rows)
        {
            md.Append("| ").Append(string.Join(" | ", row.Select(v => MarkdownCell(ReportTable.Format(v))))).Append(" |\n");
        }

        md.Append('\n');
    }

    private void AppendProvenance(StringBuilder html)
    {
        html.Append("<footer class=\"provenance\"><h2>Provenance</h2><dl>");
        foreach (var (name, value) in ProvenanceRows())
        {
            html.Append("<dt>").Append(HtmlText.Encode(name)).Append("</dt><dd>").Append(HtmlText.Encode(value)).Append("</dd>");
        }

        html.Append("</dl></footer>\n");
    }

    private IEnumerable<(string Name, string Value)> ProvenanceRows()
    {
        yield return ("snapshot", Provenance.SnapshotId);
        yield return ("code version", Provenance.CodeVersion);
        foreach (var input in Provenance.Inputs)
        {
            yield return (input.Name, input.Value);
        }

        yield return ("disclosure control", Provenance.DisclosurePolicy);
        yield return ("generated", Provenance.GeneratedUtc.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
    }

    // Markdown has no escaping that every renderer honours; escaping the characters that start
    // markup keeps text as text.
    private static string MarkdownText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string MarkdownCell(string text) => MarkdownText(text).Replace("|", "\\|", StringComparison.Ordinal);

    private abstract record Block;

    private sealed record HeadingBlock(string Text, int Level) : Block;

    private sealed record ParagraphBlock(string Text, bool Note) : Block;

    private sealed record TableBlock(ReportTable Table) : Block;

    private sealed record ChartBlock(Chart Chart, string Caption) : Block;

    private sealed record LinksBlock(IReadOnlyList<(string Text, string RelativePath)> Links) : Block;
}
