using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>
/// The history of link decisions for records linked without an NHS number, kept under
/// <c>linkage/</c> beside the link table: which person each record belonged to, by which method and
/// with what probability, valid from one snapshot to another. A record keeps its person id unless
/// new evidence changes it; every change closes one row (<c>valid_to</c>, <c>end_reason</c>) and opens
/// another (<c>reason</c>: new, relinked, merged), so an old snapshot's links can be reproduced and a
/// merged or split person traced. Also holds the provisional persons (token-set key → person id).
/// Tables in DuckDB: <c>link_history</c> and <c>provisional_person</c>.
/// </summary>
public static class LinkHistory
{
    public static string HistoryFile(DatasetLayout layout) => Path.Combine(layout.Root, "linkage", "link_history.parquet");

    public static string ProvisionalFile(DatasetLayout layout) => Path.Combine(layout.Root, "linkage", "provisional_persons.parquet");

    /// <summary>Loads both tables (empty when no run has written them yet).</summary>
    public static void Load(DuckDBConnection db, DatasetLayout layout)
    {
        var history = HistoryFile(layout);
        var provisional = ProvisionalFile(layout);
        DuckDb.Execute(db, File.Exists(history)
            ? $"CREATE OR REPLACE TABLE link_history AS SELECT * FROM read_parquet({Sql.Path(history)})"
            : """
              CREATE OR REPLACE TABLE link_history (
                feed VARCHAR, provider_code VARCHAR, record_id VARCHAR, person_id BIGINT, link_method VARCHAR,
                match_probability DOUBLE, reason VARCHAR, valid_from TIMESTAMP, valid_from_snapshot VARCHAR,
                valid_to TIMESTAMP, valid_to_snapshot VARCHAR, end_reason VARCHAR)
              """);
        DuckDb.Execute(db, File.Exists(provisional)
            ? $"CREATE OR REPLACE TABLE provisional_person AS SELECT * FROM read_parquet({Sql.Path(provisional)})"
            : "CREATE OR REPLACE TABLE provisional_person (profile_key UBIGINT, person_id BIGINT, first_snapshot VARCHAR)");
    }

    /// <summary>
    /// The highest person id an older dataset handed to a provisional person in the registered persons'
    /// range (before provisional ids started at <see cref="Probabilistic.ProbabilisticLinkage.ProvisionalIdBase"/>),
    /// so the link table's new ids start above it; 0 for a dataset with none.
    /// </summary>
    public static long MaxProvisionalId(DuckDBConnection db) =>
        DuckDb.Scalar<long>(db, $"SELECT coalesce(max(person_id), 0) FROM provisional_person WHERE person_id < {Probabilistic.ProbabilisticLinkage.ProvisionalIdBase}");

    /// <summary>Writes both tables (atomically, like the link table).</summary>
    public static void Save(DuckDBConnection db, DatasetLayout layout)
    {
        AtomicFile.Write(HistoryFile(layout), temporary => DuckDb.Execute(db,
            $"COPY (SELECT * FROM link_history ORDER BY feed, provider_code, record_id, valid_from) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
        AtomicFile.Write(ProvisionalFile(layout), temporary => DuckDb.Execute(db,
            $"COPY (SELECT * FROM provisional_person ORDER BY person_id) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
    }
}
