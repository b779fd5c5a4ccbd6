using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>An opened snapshot for a definition file: the locked-down connection, the snapshot id and its data window.</summary>
public sealed record AnalysisSnapshot(DuckDBConnection Connection, string SnapshotId, DataWindow Data) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}

/// <summary>
/// Opens what cohort and measure SQL runs on: the snapshot's tables and its marts (<c>person_year</c>,
/// <c>costed_activity</c>, <c>person_month</c>) as views, then the same lock-down as
/// <see cref="SandboxedSnapshot"/> (external access only to the snapshot, its marts and the output folder;
/// configuration locked). The marts live beside the snapshot, which <see cref="SandboxedSnapshot.Open"/> alone does not allow.
/// </summary>
public static class AnalysisConnection
{
    /// <summary>Opens <paramref name="snapshotId"/> (default current); <paramref name="outputFolder"/> is the only writable place.</summary>
    public static AnalysisSnapshot Open(DatasetLayout layout, string? snapshotId, DuckDbLimits? limits, Func<string, string>? outputFolder)
    {
        var db = DuckDb.OpenInMemory(limits);
        try
        {
            var opened = SnapshotReader.CreateViews(db, layout, snapshotId);
            MartsReader.CreateViews(db, layout, opened);
            var window = MartsBuilder.WindowOf(SnapshotManifest.Read(layout.Snapshot(opened)));
            var allowed = new List<string> { layout.Snapshot(opened), layout.Marts(opened) };
            if (outputFolder?.Invoke(opened) is { } folder)
            {
                Directory.CreateDirectory(folder);
                allowed.Add(folder);
            }

            SandboxedSnapshot.LockDown(db, allowed);
            return new AnalysisSnapshot(db, opened, new DataWindow(window.Start, window.End));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }
}
