namespace LinkedDataset.Pipeline.Storage;

/// <summary>What checking a snapshot folder found: nothing wrong, or each problem in a line.</summary>
/// <param name="Problems">Empty when the snapshot is whole.</param>
public sealed record SnapshotVerification(IReadOnlyList<string> Problems)
{
    /// <summary>True when every table of the manifest is present with the rows the manifest claims.</summary>
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks a written snapshot before anyone is pointed at it: the manifest reads, every table it lists
/// is present, and the row counts in the Parquet footers (read with Parquet.Net, no data pages) add up
/// to the manifest's. A folder that fails is never treated as published.
/// </summary>
public static class SnapshotVerifier
{
    /// <summary>Verifies the snapshot in <paramref name="folder"/>.</summary>
    public static SnapshotVerification Verify(string folder)
    {
        SnapshotManifest manifest;
        try
        {
            manifest = SnapshotManifest.Read(folder);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or Common.PipelineException)
        {
            return new SnapshotVerification([$"manifest.json unreadable: {e.Message}"]);
        }

        var problems = new List<string>();
        foreach (var (table, expected) in manifest.TableRows.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var tableFolder = Path.Combine(folder, table);
            var files = Directory.Exists(tableFolder) ? Directory.GetFiles(tableFolder, "*.parquet", SearchOption.AllDirectories) : [];
            if (files.Length == 0)
            {
                problems.Add($"table {table} is missing");
                continue;
            }

            long rows = 0;
            foreach (var file in files)
            {
                try
                {
                    rows += ParquetFooter.Rows(file);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _ = e;
                    problems.Add($"table {table}: {Path.GetRelativePath(folder, file)} is not a readable Parquet file");
                    rows = -1;
                    break;
                }
            }

            if (rows >= 0 && rows != expected)
            {
                problems.Add($"table {table} holds {rows} rows but the manifest says {expected}");
            }
        }

        return new SnapshotVerification(problems);
    }
}
