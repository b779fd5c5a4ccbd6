using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>Compares two snapshot folders table by table: same tables, same rows (as multisets).</summary>
public static class SnapshotComparer
{
    /// <summary>One line per difference; empty when the snapshots hold the same content.</summary>
    public static IReadOnlyList<string> Differences(string a, string b)
    {
        var tablesA = Tables(a);
        var tablesB = Tables(b);
        var differences = new List<string>();
        if (!tablesA.SequenceEqual(tablesB))
        {
            differences.Add($"tables differ: [{string.Join(", ", tablesA)}] vs [{string.Join(", ", tablesB)}]");
            return differences;
        }

        using var db = DuckDb.OpenInMemory();
        foreach (var table in tablesA)
        {
            string Read(string folder) => $"SELECT * FROM read_parquet({Sql.Path(Path.Combine(folder, table, "**", "*.parquet"))}, hive_partitioning = true, union_by_name = true)";
            var onlyA = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ({Read(a)} EXCEPT ALL {Read(b)})");
            var onlyB = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ({Read(b)} EXCEPT ALL {Read(a)})");
            var countA = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ({Read(a)})");
            var countB = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ({Read(b)})");
            if (onlyA + onlyB > 0 || countA != countB)
            {
                differences.Add($"{table}: {countA} vs {countB} rows, {onlyA} only in the first, {onlyB} only in the second");
            }
        }

        return differences;
    }

    private static List<string> Tables(string folder) =>
        Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;
}
