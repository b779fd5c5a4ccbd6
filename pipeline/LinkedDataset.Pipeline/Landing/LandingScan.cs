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

            if (IsLink(folder))
            {
                refused.Add(Symlink(feed, folder));
                continue;
            }

            foreach (var subfolder in Visible(Directory.EnumerateDirectories(folder)))
            {
                RefuseAll(subfolder, feed, LandingReasons.NotInFeedFolder, refused);
            }

            foreach (var path in Visible(Directory.EnumerateFiles(folder)))
            {
                var name = Path.GetFileName(path);
                if (IsLink(path))
                {
                    refused.Add(Symlink(feed, path));
                    continue;
                }

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

        RefuseOutsideFeedFolders(layout, refused);
        return new LandingScan(found, refused);
    }

    /// <summary>
    /// Files at the landing root and in folders that are not feeds are refused, not ignored: a file a
    /// provider dropped in the wrong place is then visible in the registry. <c>_reference/</c> (the
    /// postcode lookup) and hidden entries are left alone.
    /// </summary>
    private static void RefuseOutsideFeedFolders(DatasetLayout layout, List<RefusedFile> refused)
    {
        if (!Directory.Exists(layout.Landing))
        {
            return;
        }

        foreach (var path in Visible(Directory.EnumerateFiles(layout.Landing)))
        {
            refused.Add(IsLink(path) ? Symlink("", path) : new RefusedFile("", path, LandingReasons.NotInFeedFolder,
                $"Landing file '{Path.GetFileName(path)}' is at the landing root; extracts go in landing/<feed>/ ({string.Join(", ", FeedSchemaLoader.FeedNames)}). Move it into its feed's folder."));
        }

        var feeds = FeedSchemaLoader.FeedNames.Append(ReferenceFolder).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in Visible(Directory.EnumerateDirectories(layout.Landing)).Where(d => !feeds.Contains(Path.GetFileName(d))))
        {
            RefuseAll(folder, Path.GetFileName(folder), LandingReasons.UnknownFeed, refused);
        }
    }

    /// <summary>Refuses every file under <paramref name="folder"/> (recursively, links not followed) with <paramref name="reason"/>.</summary>
    private static void RefuseAll(string folder, string label, string reason, List<RefusedFile> refused)
    {
        if (IsLink(folder))
        {
            refused.Add(Symlink(label, folder));
            return;
        }

        foreach (var path in Visible(Directory.EnumerateFiles(folder)))
        {
            var name = Path.GetFileName(path);
            refused.Add(IsLink(path) ? Symlink(label, path) : new RefusedFile(label, path, reason, reason == LandingReasons.UnknownFeed
                ? $"Landing file '{name}' is in '{label}/', which is not a feed folder (feeds: {string.Join(", ", FeedSchemaLoader.FeedNames)}). Move it into its feed's folder."
                : $"Landing file '{name}' is in a subfolder of '{label}/'; extracts go directly in landing/{label}/. Move it up."));
        }

        foreach (var subfolder in Visible(Directory.EnumerateDirectories(folder)))
        {
            RefuseAll(subfolder, label, reason, refused);
        }
    }

    /// <summary>The folder of reference files supplied with the extracts (the postcode lookup), not a feed.</summary>
    public const string ReferenceFolder = "_reference";

    private static IEnumerable<string> Visible(IEnumerable<string> paths) =>
        paths.Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal);

    /// <summary>
    /// True for a symbolic link (or other reparse point). Landing never follows one: it could point
    /// anywhere on the machine (the key file, another dataset), and a provider drops files, not links.
    /// </summary>
    public static bool IsLink(string path) => new FileInfo(path) is { } info && (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint));

    /// <summary>The refusal of a symbolic link in landing; the link is never followed.</summary>
    public static RefusedFile Symlink(string feed, string path) =>
        new(feed, path, LandingReasons.Symlink,
            $"Landing file '{Path.GetFileName(path)}'{(feed.Length > 0 ? $" in '{feed}/'" : "")} is a symbolic link; links are not followed. Copy the extract itself into landing.");

    /// <summary>
    /// What the registry records for a refused file without following a link: the content hash and
    /// size of a regular file, or a hash of the link's target text (size 0) for a symbolic link.
    /// </summary>
    public static (string Hash, long Bytes) Fingerprint(string path) => IsLink(path)
        ? (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("symlink:" + new FileInfo(path).LinkTarget))), 0)
        : (ContentHash(path), new FileInfo(path).Length);

    /// <summary>The refusal of a landing file that is not a .csv extract.</summary>
    public static RefusedFile NotCsv(string feed, string path)
    {
        var name = Path.GetFileName(path);
        return new RefusedFile(feed, path, LandingReasons.NotCsv,
            $"Landing file '{name}' in '{feed}/' is not a .csv file ('{Path.GetExtension(name)}'); extracts are comma-separated UTF-8 text named <feed>_<provider>_<YYYY-MM>.csv.");
    }
}
