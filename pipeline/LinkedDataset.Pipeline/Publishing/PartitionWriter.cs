using System.Text.Json;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Publishing;

/// <summary>How many activity partitions (table × month) a publish wrote and how many it took unchanged from the previous snapshot.</summary>
public sealed record PartitionCounts(int Written, int Reused);

/// <summary>
/// Writes the activity tables of a snapshot one month per file (<c>&lt;feed&gt;/period=YYYY-MM/part_0.parquet</c>,
/// each file from its own <c>COPY</c>, so a file's bytes depend on its rows alone), and records a
/// fingerprint of each partition's rows in <see cref="FingerprintFile"/>. When the previous snapshot
/// (same code version and key id) has a partition with the same fingerprint, its file is hard-linked
/// into the new snapshot instead of being written again: a month that did not change costs nothing,
/// and every snapshot folder still holds all of its files (deleting an older one is safe).
/// </summary>
internal static class PartitionWriter
{
    /// <summary>table → period → fingerprint, beside the manifest.</summary>
    public const string FingerprintFile = "partitions.json";

    private const string NullPeriod = "NULL"; // how DuckDB's hive partitioning names a null value

    /// <summary>Writes (or reuses) every partition of <c>linked_&lt;feed&gt;</c> for each non-empty feed.</summary>
    public static PartitionCounts Write(DuckDBConnection db, string snapshotFolder, IEnumerable<string> feeds, string? previousSnapshot)
    {
        var previous = previousSnapshot is not null ? Read(previousSnapshot) : null;
        var fingerprints = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        int written = 0, reused = 0;
        foreach (var feed in feeds)
        {
            var parts = Fingerprints(db, feed);
            fingerprints[feed] = parts;
            foreach (var (period, fingerprint) in parts)
            {
                var relative = Path.Combine(feed, "period=" + period, "part_0.parquet");
                var earlier = Path.Combine(previousSnapshot ?? "", relative);
                if (previous is not null && previous.TryGetValue(feed, out var old) && old.TryGetValue(period, out var oldFingerprint)
                    && oldFingerprint == fingerprint && File.Exists(earlier))
                {
                    HardLink.CreateOrCopy(earlier, Path.Combine(snapshotFolder, relative));
                    reused++;
                    continue;
                }

                var target = Path.Combine(snapshotFolder, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var where = period == NullPeriod ? "period IS NULL" : $"period = {Sql.Literal(period)}";
                DuckDb.Execute(db, $"COPY (SELECT * EXCLUDE (period) FROM linked_{feed} WHERE {where}) TO {Sql.Path(target)} (FORMAT parquet, COMPRESSION zstd)");
                written++;
            }
        }

        File.WriteAllText(Path.Combine(snapshotFolder, FingerprintFile), JsonSerializer.Serialize(fingerprints));
        return new PartitionCounts(written, reused);
    }

    /// <summary>
    /// Per month: row count and two order-free 64-bit sums of row hashes (every column, person id and
    /// link method included). Two partitions with equal fingerprints hold the same rows, short of a
    /// 2^-64-scale hash coincidence; the sort order of a table is fixed, so the same rows make the same file.
    /// </summary>
    private static SortedDictionary<string, string> Fingerprints(DuckDBConnection db, string feed)
    {
        var rows = db.Query<(string Period, string Fingerprint)>($"""
            SELECT coalesce(period, '{NullPeriod}') AS period,
                   count(*) || ':' || sum(hash(t))::HUGEINT || ':' || bit_xor(hash(t, 'x')) AS fingerprint
            FROM linked_{feed} t GROUP BY ALL
            """);
        return new SortedDictionary<string, string>(rows.ToDictionary(r => r.Period, r => r.Fingerprint), StringComparer.Ordinal);
    }

    private static Dictionary<string, Dictionary<string, string>>? Read(string snapshotFolder)
    {
        var file = Path.Combine(snapshotFolder, FingerprintFile);
        return File.Exists(file) ? JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(file)) : null;
    }
}
