using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// A DuckDB connection for running anything derived from a user's definition file (cohort,
/// measure, scenario, evaluation): it sees one published snapshot's tables as views and nothing else.
/// After the views are made, file access outside the snapshot folder (and any scratch folder the
/// caller names) is disabled and the configuration locked, so no expression can read the key, a
/// landing file or <c>/etc/passwd</c>, write a file, attach a database or install an extension.
/// </summary>
public static class SandboxedSnapshot
{
    /// <summary>
    /// Opens an in-memory DuckDB with a view per table of <paramref name="snapshotId"/> (default: the
    /// current snapshot), then locks it down. <paramref name="writableFolder"/>, when given, is the
    /// only place the caller may <c>COPY</c> results to (for example the cohort's output folder). With
    /// <paramref name="withMarts"/>, the snapshot's marts (<c>lake/marts/&lt;snapshot id&gt;/</c>: <c>person_year</c>
    /// and the rest) are views too, and readable.
    /// </summary>
    public static (DuckDBConnection Connection, string SnapshotId) Open(
        DatasetLayout layout, string? snapshotId = null, DuckDbLimits? limits = null, string? writableFolder = null, bool withMarts = false) =>
        Open(layout, snapshotId, limits, writableFolder is null ? null : _ => writableFolder, withMarts);

    /// <summary>
    /// As <see cref="Open(DatasetLayout, string?, DuckDbLimits?, string?, bool)"/>, for a writable folder that depends
    /// on the snapshot opened (e.g. <c>cohorts/&lt;name&gt;/&lt;snapshot id&gt;/</c> when the caller asked for the current one).
    /// </summary>
    public static (DuckDBConnection Connection, string SnapshotId) Open(
        DatasetLayout layout, string? snapshotId, DuckDbLimits? limits, Func<string, string>? writableFolderFor, bool withMarts)
    {
        var db = DuckDb.OpenInMemory(limits);
        try
        {
            var opened = SnapshotReader.CreateViews(db, layout, snapshotId);
            var allowed = new List<string> { layout.Snapshot(opened) };
            if (withMarts)
            {
                allowed.Add(CreateMartViews(db, layout, opened));
            }

            if (writableFolderFor?.Invoke(opened) is { } writableFolder)
            {
                Directory.CreateDirectory(writableFolder);
                allowed.Add(Path.GetFullPath(writableFolder));
            }

            LockDown(db, allowed);
            return (db, opened);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>One view per table folder of the snapshot's marts; the marts folder.</summary>
    private static string CreateMartViews(DuckDBConnection db, DatasetLayout layout, string snapshotId)
    {
        var folder = layout.Marts(snapshotId);
        if (!File.Exists(Path.Combine(folder, "marts.json")))
        {
            throw new PipelineException($"No marts have been built for snapshot '{snapshotId}'. Run 'ldp marts' first.");
        }

        foreach (var table in Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            DuckDb.Execute(db, $"CREATE OR REPLACE VIEW {Sql.Identifier(table!)} AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(folder, table!, "*.parquet"))})");
        }

        return folder;
    }

    /// <summary>
    /// Disables external access except to <paramref name="allowedFolders"/>, stops extensions from
    /// loading and locks the configuration so a later statement cannot undo any of it.
    /// </summary>
    public static void LockDown(DuckDBConnection db, IEnumerable<string> allowedFolders)
    {
        var folders = string.Join(", ", allowedFolders.Select(f => Sql.Literal(Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)) + Path.DirectorySeparatorChar)));
        DuckDb.Execute(db, $"""
            SET allowed_directories = [{folders}];
            SET enable_external_access = false;
            SET autoinstall_known_extensions = false;
            SET autoload_known_extensions = false;
            SET lock_configuration = true;
            """);
    }
}
