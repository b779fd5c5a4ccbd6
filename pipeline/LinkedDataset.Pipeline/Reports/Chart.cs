using System.Globalization;
using System.Text.RegularExpressions;
using LinkedDataset.Pipeline.Storage;
using ScottPlot;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>
/// A rendered chart: SVG markup to embed in a report, and the plot itself to save as PNG or SVG
/// files for notebooks. Made by <see cref="Charts.From"/>.
/// </summary>
public sealed partial class Chart
{
    private readonly Plot plot;

    internal Chart(Plot plot, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 50, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 50, nameof(height));
        this.plot = plot;
        Width = width;
        Height = height;
        Svg = Normalise(plot.GetSvgXml(width, height));
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The chart as a standalone <c>&lt;svg&gt;</c> element (no XML declaration).</summary>
    public string Svg { get; }

    /// <summary>Writes the chart as a PNG file (written whole or not at all).</summary>
    public void SavePng(string path) => AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, plot.GetImageBytes(Width, Height, ImageFormat.Png)));

    /// <summary>Writes the chart as an SVG file (written whole or not at all).</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, Svg + "\n");

    /// <summary>
    /// The SVG with every id (ScottPlot names its clip paths <c>cl_1</c>, <c>cl_2</c>, …) prefixed,
    /// so several charts inlined in one page do not clip each other.
    /// </summary>
    internal string SvgWithIdPrefix(string prefix) =>
        IdReference().Replace(Id().Replace(Svg, m => $"id=\"{prefix}{m.Groups[1].Value}\""), m => $"url(#{prefix}{m.Groups[1].Value})");

    /// <summary>
    /// Makes ScottPlot's SVG the same for the same plot and clean for browsers: drops the XML
    /// declaration (invalid inside HTML), renumbers ids in order of appearance (ScottPlot numbers clip
    /// paths from a process-wide counter, so the same plot gave different bytes), removes the
    /// trailing comma ScottPlot leaves in glyph position lists (browsers log an error for it) and
    /// trims the whitespace round text; rounds coordinates to 1/100 pixel.
    /// </summary>
    private static string Normalise(string svg)
    {
        svg = XmlDeclaration().Replace(svg, "").Trim();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        svg = Id().Replace(svg, m =>
        {
            var renamed = FormattableString.Invariant($"clip{ids.Count + 1}");
            ids[m.Groups[1].Value] = renamed;
            return $"id=\"{renamed}\"";
        });
        svg = IdReference().Replace(svg, m => ids.TryGetValue(m.Groups[1].Value, out var renamed) ? $"url(#{renamed})" : m.Value);
        svg = PositionList().Replace(svg, m => $" {m.Groups[1].Value}=\"{string.Join(' ', m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}\"");
        svg = Attribute().Replace(svg, m => "=\"" + LongDecimal().Replace(m.Groups[1].Value, d => Math.Round(double.Parse(d.Value, CultureInfo.InvariantCulture), 2).ToString("0.##", CultureInfo.InvariantCulture)) + "\"");
        return TextContent().Replace(svg, m => $">{m.Groups[1].Value}</text>");
    }

    // Coordinates to 1/100 pixel: a third of the size, and no long digit runs in a page.
    [GeneratedRegex("=\"([^\"]*)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"-?\d+\.\d{3,}")]
    private static partial Regex LongDecimal();

    [GeneratedRegex(@" (x|y)=""([-0-9., e]*)""")]
    private static partial Regex PositionList();

    [GeneratedRegex(@">\s*([^<]*?)\s*</text>")]
    private static partial Regex TextContent();

    [GeneratedRegex(@"^<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex Id();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex IdReference();
}
