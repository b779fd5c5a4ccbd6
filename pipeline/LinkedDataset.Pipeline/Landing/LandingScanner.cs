using System.Globalization;
using System.Security.Cryptography;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Landing;

/// <summary>
/// Finds the extracts in <c>landing/&lt;feed&gt;/</c>, named <c>&lt;feed&gt;_&lt;provider&gt;_&lt;YYYY-MM&gt;.csv</c>,
/// and gives each its extract id (content hash). Files are only read, never changed.
/// </summary>
public static partial class LandingScanner
{
    /// <summary>Every extract in the landing folder, in a stable order (feed order, then file name); symbolic links are skipped, never followed.</summary>
    public static IReadOnlyList<LandedExtract> Scan(DatasetLayout layout)
    {
        var found = new List<LandedExtract>();
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var folder = layout.LandingFeed(feed);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder, "*.csv").Where(p => !IsLink(p)).Order(StringComparer.Ordinal))
            {
                found.Add(Describe(feed, path));
            }
        }

        return found;
    }

    /// <summary>Reads feed, provider and period from the file name and hashes the content.</summary>
    public static LandedExtract Describe(string feed, string path)
    {
        var (provider, period) = ParseName(feed, Path.GetFileName(path));
        return new LandedExtract(feed, provider, period, path, ExtractId(feed, provider, period, ContentHash(path)));
    }

    /// <summary>
    /// The extract id: a hash of feed, provider, period and content. The same bytes delivered again
    /// for the same provider-feed-period are the same extract; two providers' identical files
    /// (say, header only) are not.
    /// </summary>
    public static string ExtractId(string feed, string provider, string period, string contentHash) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{feed}|{provider}|{period}|{contentHash}")))[..16];

    /// <summary>
    /// Splits <c>&lt;feed&gt;_&lt;provider&gt;_&lt;YYYY-MM&gt;[.&lt;label&gt;].csv</c>; a name that does not fit is a clear
    /// error. The optional label (<c>.v2</c>, <c>.corrected</c>) lets a provider send a second delivery for a period beside the first.
    /// </summary>
    public static (string Provider, string Period) ParseName(string feed, string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var prefix = feed + "_";
        var lastUnderscore = stem.LastIndexOf('_');
        if (!stem.StartsWith(prefix, StringComparison.Ordinal) || lastUnderscore <= prefix.Length)
        {
            throw new PipelineException(
                $"Landing file '{fileName}' in '{feed}/' is not named <feed>_<provider>_<YYYY-MM>.csv (for example {feed}_RVV_2025-04.csv). Rename it so the pipeline knows its provider and period.");
        }

        var provider = stem[prefix.Length..lastUnderscore];
        var period = stem[(lastUnderscore + 1)..];
        if (period.IndexOf('.') is > 0 and var dot)
        {
            period = period[..dot]; // a delivery label: apc_RVV_2025-04.v2.csv is a later delivery for the same period
        }
        if (!DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new PipelineException(
                $"Landing file '{fileName}' in '{feed}/' has period '{period}', which is not a month written YYYY-MM.");
        }

        return (provider, period);
    }

    /// <summary>The SHA-256 of the file's bytes, in hex.</summary>
    public static string ContentHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
