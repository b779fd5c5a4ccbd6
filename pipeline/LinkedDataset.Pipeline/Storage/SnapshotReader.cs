using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>Opens a published snapshot for querying: one DuckDB view per table, over its Parquet files.</summary>
public static class SnapshotReader
{
    /// <summary>
    /// Creates a view per table of <paramref name="snapshotId"/> (default: the current snapshot) and
    /// returns the id it opened, so an analysis can say which snapshot it ran on.
    /// </summary>
    public static string CreateViews(DuckDBConnection db, DatasetLayout layout, string? snapshotId = null)
    {
        snapshotId ??= layout.CurrentSnapshotId
            ?? throw new PipelineException($"No snapshot has been published in {layout.Root}. Run 'ldp run' first.");
        var folder = layout.Snapshot(snapshotId);
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
        {
            throw new PipelineException($"Snapshot '{snapshotId}' is not a complete snapshot in {layout.Snapshots}. 'ldp snapshots' lists those that are.");
        }

        foreach (var table in Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var files = Path.Combine(folder, table!, "**", "*.parquet");
            DuckDb.Execute(db, $"CREATE OR REPLACE VIEW {Sql.Identifier(table!)} AS SELECT * FROM read_parquet({Sql.Path(files)}, hive_partitioning = true, union_by_name = true)");
        }

        return snapshotId;
    }
}
