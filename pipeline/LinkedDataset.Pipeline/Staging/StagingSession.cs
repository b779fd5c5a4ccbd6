using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// One worker's DuckDB for staging extracts one after another (<see cref="ExtractStager.Stage(Landing.LandedExtract, StagingOptions, StagingSession, CancellationToken)"/>).
/// Opening DuckDB and reading the postcode lookup cost more than staging a small extract, so they are
/// done once per worker, not once per file; every extract's own tables are dropped before and after it
/// is staged, so no extract sees another's rows. Not thread-safe: one session per worker.
/// </summary>
public sealed class StagingSession : IDisposable
{
    /// <summary>The tables and view one extract creates; dropped before and after each extract.</summary>
    private const string DropExtractObjects = """
        DROP VIEW IF EXISTS tokened;
        DROP TABLE IF EXISTS checked; DROP TABLE IF EXISTS raw;
        DROP TABLE IF EXISTS map_nhs_number; DROP TABLE IF EXISTS map_uprn; DROP TABLE IF EXISTS map_given_name;
        DROP TABLE IF EXISTS map_family_name; DROP TABLE IF EXISTS map_date_of_birth; DROP TABLE IF EXISTS map_postcode;
        """;

    private readonly DuckDbLimits? limits;
    private DuckDBConnection? connection;
    private (string Path, DateTime Written, long Bytes)? postcodes;

    /// <summary>A session whose DuckDB opens, with <paramref name="limits"/>, when the first extract needs it.</summary>
    public StagingSession(DuckDbLimits? limits = null) => this.limits = limits;

    /// <summary>The connection, emptied of any earlier extract's tables.</summary>
    internal DuckDBConnection Begin()
    {
        connection ??= DuckDb.OpenInMemory(limits);
        DuckDb.Execute(connection, DropExtractObjects);
        return connection;
    }

    /// <summary>Drops the extract's tables, so their memory is free for the next one (and a failed extract leaves nothing behind).</summary>
    internal void End()
    {
        if (connection is not null)
        {
            DuckDb.Execute(connection, DropExtractObjects);
        }
    }

    /// <summary>
    /// Table <c>postcode_lsoa</c> (<c>postcode_key</c>, <c>lsoa11cd</c>) from <paramref name="path"/>, read once per
    /// session and again only if the file changed (its path, time or size).
    /// </summary>
    internal void LoadPostcodes(string path)
    {
        var file = new FileInfo(path);
        var seen = (file.FullName, file.LastWriteTimeUtc, file.Length);
        if (postcodes == seen)
        {
            return;
        }

        DuckDb.Execute(connection!, $"""
            CREATE OR REPLACE TEMP TABLE postcode_lsoa AS
            SELECT upper(replace(postcode, ' ', '')) AS postcode_key, any_value(lsoa11cd) AS lsoa11cd
            FROM read_csv({Sql.Path(path)}, header = true, all_varchar = true) GROUP BY 1
            """);
        postcodes = seen;
    }

    /// <inheritdoc />
    public void Dispose() => connection?.Dispose();
}
