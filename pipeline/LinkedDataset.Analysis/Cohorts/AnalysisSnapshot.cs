using System.Globalization;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>
/// An opened snapshot for a cohort or measure file: the connection <see cref="SandboxedSnapshot"/> opened with
/// the marts (external access only to the snapshot, its marts and the output folder; configuration locked),
/// the snapshot id and the data window the definition's dates are checked against.
/// </summary>
public sealed record AnalysisSnapshot(DuckDBConnection Connection, string SnapshotId, DataWindow Data) : IDisposable
{
    /// <summary>Opens <paramref name="snapshotId"/> (default current) the one sandboxed way; <paramref name="outputFolder"/> is the only writable place.</summary>
    public static AnalysisSnapshot Open(DatasetLayout layout, string? snapshotId, DuckDbLimits? limits, Func<string, string>? outputFolder)
    {
        var (db, opened) = SandboxedSnapshot.Open(layout, snapshotId, limits, outputFolder, withMarts: true);
        try
        {
            var window = MartsBuilder.WindowOf(SnapshotManifest.Read(layout.Snapshot(opened)));
            return new AnalysisSnapshot(db, opened, new DataWindow(window.Start, window.End));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The provenance of an output made on this snapshot from a definition file (cohort or measure: one shape for both):
    /// snapshot, code version, file and its hash, codelists, mart versions, data window and disclosure policy.
    /// </summary>
    public AnalysisProvenance Provenance(DatasetLayout layout, string definitionPath, string hash, IReadOnlyDictionary<string, string> codelists, SdcPolicy policy)
    {
        var marts = MartsReader.ReadManifest(layout, SnapshotId);
        return new AnalysisProvenance(
            SnapshotId, LinkedDataset.Pipeline.Reports.Provenance.CurrentCodeVersion, Path.GetFileName(definitionPath), hash, codelists, marts.Versions,
            Data.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Data.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            policy.Describe(), DateTimeOffset.UtcNow);
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
