using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Publishing;

/// <summary>
/// Whether the current snapshot already holds a set of staged extracts, so publishing them again would
/// write nothing new: then linkage (most of a run's time) need not run to find that out.
/// </summary>
public static class CurrentSnapshot
{
    /// <summary>
    /// The current snapshot's id when it was made from exactly these extracts (the newest delivery per
    /// provider + feed + period, as the publisher takes them), with this code and, when given, this key id; else null.
    /// </summary>
    public static string? Covering(DatasetLayout layout, IReadOnlyList<StagingReport> staged, string? keyId)
    {
        if (layout.CurrentSnapshotId is not { } current || !File.Exists(Path.Combine(layout.Snapshot(current), "manifest.json")))
        {
            return null;
        }

        var extracts = LandingRegistry.Load(layout).NewestPerSlot(staged.Where(r => r.Status is StagingReport.Staged or StagingReport.AlreadyStaged).ToList());
        var manifest = SnapshotManifest.Read(layout.Snapshot(current));
        var same = manifest.CodeVersion == SnapshotPublisher.CodeVersion
            && (keyId is null || manifest.KeyId == keyId)
            && manifest.Extracts.Select(e => e.ExtractId).Order(StringComparer.Ordinal)
                .SequenceEqual(extracts.Select(r => r.ExtractId).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        return same ? current : null;
    }

    /// <summary>
    /// The current snapshot as a publish result, when it holds exactly <paramref name="staged"/> and passes
    /// verification (a folder is never trusted by its name alone); link rates are read back from its tables.
    /// Null when it does not: then the extracts must be linked and published.
    /// </summary>
    public static PublishResult? Reuse(DatasetLayout layout, IReadOnlyList<StagingReport> staged, string keyId, DuckDbLimits? limits)
    {
        if (Covering(layout, staged, keyId) is not { } current)
        {
            return null;
        }

        var folder = layout.Snapshot(current);
        if (SnapshotVerifier.Verify(folder) is { Ok: false })
        {
            return null;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var db = DuckDb.OpenInMemory(limits);
        var rates = new Dictionary<string, LinkRate>();
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(f => f != "pmi"))
        {
            var files = Path.Combine(folder, feed);
            rates[feed] = Directory.EnumerateFiles(files, "*.parquet", SearchOption.AllDirectories).Any()
                ? LinkRate.Of(db, $"read_parquet({Sql.Path(Path.Combine(files, "**", "*.parquet"))}, union_by_name = true)")
                : new LinkRate(0, 0);
        }

        return new PublishResult(current, folder, AlreadyPublished: true, SnapshotManifest.Read(folder), rates, clock.Elapsed.TotalSeconds) { Reused = true };
    }
}
