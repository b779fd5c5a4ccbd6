namespace LinkedDataset.Pipeline.Storage;

/// <summary>One complete snapshot as <c>ldp snapshots</c> lists it.</summary>
public sealed record SnapshotSummary(string SnapshotId, DateTimeOffset CreatedUtc, int Extracts, long Rows, long People, bool IsCurrent);

/// <summary>The complete snapshots of a dataset (a folder with a manifest that passes <see cref="SnapshotVerifier"/>; unfinished <c>.tmp-</c> folders are not snapshots).</summary>
public static class SnapshotCatalog
{
    /// <summary>Newest first.</summary>
    public static IReadOnlyList<SnapshotSummary> List(DatasetLayout layout)
    {
        if (!Directory.Exists(layout.Snapshots))
        {
            return [];
        }

        var current = layout.CurrentSnapshotId;
        return Directory.EnumerateDirectories(layout.Snapshots)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, "manifest.json")))
            .Where(d => SnapshotVerifier.Verify(d).Ok)
            .Select(d => SnapshotManifest.Read(d))
            .Select(m => new SnapshotSummary(m.SnapshotId, m.CreatedUtc, m.Extracts.Count, m.TableRows.Values.Sum(), m.TableRows.GetValueOrDefault("person"), m.SnapshotId == current))
            .OrderByDescending(s => s.CreatedUtc).ThenBy(s => s.SnapshotId, StringComparer.Ordinal)
            .ToList();
    }
}
