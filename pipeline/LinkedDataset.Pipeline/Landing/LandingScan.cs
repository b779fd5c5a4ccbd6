using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Landing;

/// <summary>A file in landing that cannot be an extract (bad name, not .csv): refused with a reason, the run carries on.</summary>
public sealed record RefusedFile(string Feed, string Path, string Reason, string Message)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>Everything found in landing: the extracts, and the files refused before staging.</summary>
public sealed record LandingScan(IReadOnlyList<LandedExtract> Extracts, IReadOnlyList<RefusedFile> Refused);

public static partial class LandingScanner
{
    /// <summary>
    /// Like <see cref="LandingScanner.Scan"/>, but a file that is not an extract does not stop the
    /// scan: every file in <c>landing/&lt;feed&gt;/</c> (hidden files aside) is either an extract or
    /// a <see cref="RefusedFile"/> with a clear message (name not <c>&lt;feed&gt;_&lt;provider&gt;_&lt;YYYY-MM&gt;.csv</c>,
    /// or not a .csv file). <paramref name="describe"/> replaces <see cref="Describe"/> (the
    /// scheduler passes one that reuses cached hashes); it may return null to skip a file for now.
    /// </summary>
    public static LandingScan ScanAll(DatasetLayout layout, Func<string, string, LandedExtract?>? describe = null)
    {
        describe ??= Describe;
        var found = new List<LandedExtract>();
        var refused = new List<RefusedFile>();
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var folder = layout.LandingFeed(feed);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder).Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    refused.Add(NotCsv(feed, path));
                    continue;
                }

                try
                {
                    if (describe(feed, path) is { } extract)
                    {
                        found.Add(extract);
                    }
                }
                catch (PipelineException e)
                {
                    refused.Add(new RefusedFile(feed, path, LandingReasons.BadFileName, e.Message));
                }
            }
        }

        return new LandingScan(found, refused);
    }

    /// <summary>The refusal of a landing file that is not a .csv extract.</summary>
    public static RefusedFile NotCsv(string feed, string path)
    {
        var name = Path.GetFileName(path);
        return new RefusedFile(feed, path, LandingReasons.NotCsv,
            $"Landing file '{name}' in '{feed}/' is not a .csv file ('{Path.GetExtension(name)}'); extracts are comma-separated UTF-8 text named <feed>_<provider>_<YYYY-MM>.csv.");
    }
}
