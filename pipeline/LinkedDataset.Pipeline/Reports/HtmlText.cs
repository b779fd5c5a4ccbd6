using System.Net;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>
/// The one place report text becomes HTML. Every string a report shows (titles, cells, captions,
/// tooltips) passes through <see cref="Encode"/>, so no report builds markup from raw text.
/// </summary>
public static class HtmlText
{
    /// <summary>HTML-encodes text for an element body or a double-quoted attribute; null becomes empty.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
