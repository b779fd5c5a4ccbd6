using Dapper;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Quality;

/// <summary>
/// Activity rows of one provider's extract for one month that happened in an earlier month: the
/// records that arrived late. A provider's first extract of a feed carries its history (a backload),
/// so it is not counted. Operational counts only.
/// </summary>
/// <param name="Feed">Activity feed.</param>
/// <param name="Provider">Provider that sent the extract.</param>
/// <param name="ExtractPeriod">Month the extract is for.</param>
/// <param name="Rows">Rows of that extract kept in the snapshot.</param>
/// <param name="LateRows">Of those, rows whose activity month is before the extract's month.</param>
/// <param name="MaxMonthsLate">The largest gap, in months, between activity and extract month.</param>
public sealed record LateArrival(string Feed, string Provider, string ExtractPeriod, long Rows, long LateRows, long MaxMonthsLate);

/// <summary>Finds late-arriving activity in a snapshot: rows sent in an extract for a later month than the one they happened in.</summary>
public static class LateArrivals
{
    /// <summary>Every provider-extract of <paramref name="snapshotId"/> with at least one late row, by feed, provider and extract month.</summary>
    public static IReadOnlyList<LateArrival> Find(DatasetLayout layout, string snapshotId)
    {
        var manifest = SnapshotManifest.Read(layout.Snapshot(snapshotId));
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        SnapshotReader.CreateViews(db, layout, snapshotId);
        DuckDb.Execute(db, "CREATE TABLE extract_period (extract_id VARCHAR, extract_period VARCHAR)");
        using (var appender = db.CreateAppender("extract_period"))
        {
            foreach (var e in manifest.Extracts)
            {
                appender.CreateRow().AppendValue(e.ExtractId).AppendValue(e.Period).EndRow();
            }
        }

        // Empty feeds have no period column in the snapshot; they have nothing late either.
        var feeds = FeedSchemaLoader.FeedNames.Where(f => f != "pmi" && manifest.TableRows.GetValueOrDefault(f) > 0).ToList();
        if (feeds.Count == 0)
        {
            return [];
        }

        var perFeed = feeds.Select(f => $"""
            SELECT '{f}' AS feed, a.provider_code AS provider, e.extract_period, count(*) AS rows,
                   count(*) FILTER (a.period < e.extract_period) AS late_rows,
                   coalesce(max(date_diff('month', CAST(a.period || '-01' AS DATE), CAST(e.extract_period || '-01' AS DATE))) FILTER (a.period < e.extract_period), 0) AS max_months_late
            FROM {Sql.Identifier(f)} a JOIN extract_period e USING (extract_id)
            JOIN (SELECT a2.provider_code, min(e2.extract_period) AS first_period FROM {Sql.Identifier(f)} a2 JOIN extract_period e2 USING (extract_id) GROUP BY 1) first USING (provider_code)
            WHERE e.extract_period > first.first_period
            GROUP BY ALL
            """);
        return db.Query<LateArrival>($"""
            SELECT feed AS Feed, provider AS Provider, extract_period AS ExtractPeriod, rows AS Rows, late_rows AS LateRows, max_months_late AS MaxMonthsLate
            FROM ({string.Join("\nUNION ALL\n", perFeed)}) WHERE late_rows > 0 ORDER BY feed, provider, extract_period
            """).ToList();
    }
}
