using System.Text.Json;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>What a published snapshot holds and how it was made. Written last: a snapshot is complete only with it.</summary>
public sealed record SnapshotManifest(
    string SnapshotId,
    DateTimeOffset CreatedUtc,
    string CodeVersion,
    string KeyId,
    IReadOnlyList<SnapshotExtract> Extracts,
    IReadOnlyDictionary<string, long> TableRows,
    IReadOnlyDictionary<string, long> DuplicatesRemoved,
    IReadOnlyDictionary<string, string> SchemaVersions)
{
    /// <summary>The manifest of the snapshot in <paramref name="snapshotFolder"/>.</summary>
    public static SnapshotManifest Read(string snapshotFolder) =>
        JsonSerializer.Deserialize<SnapshotManifest>(File.ReadAllText(Path.Combine(snapshotFolder, "manifest.json")))
        ?? throw new PipelineException($"Snapshot manifest in {snapshotFolder} is empty.");
}

/// <summary>One extract in a snapshot.</summary>
public sealed record SnapshotExtract(string ExtractId, string Feed, string Provider, string Period, long RowsStaged);
