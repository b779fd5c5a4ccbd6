using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>
/// Builds the person index from the GP registered population (<c>pmi</c>) and links every activity
/// row to it on the pseudonymised NHS number. Runs entirely in DuckDB on tables
/// <c>staged_&lt;feed&gt;</c> (deduplicated staged rows) and leaves <c>person</c>, <c>registration</c>,
/// <c>link</c> and <c>linked_&lt;feed&gt;</c> behind.
/// </summary>
public static class DeterministicLinker
{
    public const string Deterministic = "deterministic";
    public const string Unlinked = "unlinked";

    /// <summary>
    /// Assigns <c>person_id</c>s: tokens already in the link table keep theirs; new tokens get the
    /// next ids in the order their first pmi row was staged (extract period, extract id, then row: never
    /// the token, so the same inputs give the same ids under any key). The period comes first so that
    /// adding a month numbers its new people after everyone earlier, exactly as a full rebuild of all the
    /// months does (docs/incremental-refresh.md). New ids start above <paramref name="reservedMaxId"/>
    /// (the highest id an older dataset gave a provisional person below <see cref="Probabilistic.ProbabilisticLinkage.ProvisionalIdBase"/>).
    /// Reads <c>pmi_first_seen(person_token, first_seen)</c> (<see cref="FirstSeenSql"/>): every pmi row of the snapshot's
    /// extracts counts, also a registration sent again later (the deduplicated <c>staged_pmi</c> keeps only the
    /// latest copy, which would date a person by their last update rather than their first appearance).
    /// </summary>
    public static void UpdateLinkTable(DuckDBConnection db, string? existingLinkTable, long reservedMaxId = 0)
    {
        DuckDb.Execute(db, existingLinkTable is not null && File.Exists(existingLinkTable)
            ? $"CREATE TABLE link AS SELECT person_token, person_id FROM read_parquet({Sql.Path(existingLinkTable)})"
            : "CREATE TABLE link (person_token VARCHAR, person_id BIGINT)");
        DuckDb.Execute(db, $"""
            INSERT INTO link
            SELECT person_token, greatest((SELECT coalesce(max(person_id), 0) FROM link), {reservedMaxId}) + row_number() OVER (ORDER BY first_seen)
            FROM pmi_first_seen t
            WHERE person_token NOT IN (SELECT person_token FROM link)
            """);
    }

    /// <summary>The query for <c>pmi_first_seen</c> over the staged pmi rows in <paramref name="rows"/> (all copies, before deduplication).</summary>
    public static string FirstSeenSql(string rows) =>
        $"SELECT person_token, min(struct_pack(p := extract_period, e := extract_id, r := source_row)) AS first_seen FROM {rows} WHERE person_token IS NOT NULL GROUP BY person_token";

    /// <summary>The registration and person tables of the linked layer, from the PMI.</summary>
    public static void BuildPersonIndex(DuckDBConnection db, FeedSchema pmi, string imdLookup)
    {
        var start = Sql.Identifier(pmi.ActivityDate);
        var end = Sql.Identifier(pmi.EndDate ?? throw new InvalidOperationException("The pmi schema must name its end_date."));
        var recordId = Sql.Identifier(pmi.RecordId);
        DuckDb.Execute(db, $"""
            CREATE TABLE registration AS
            SELECT l.person_id, s.{recordId} AS registration_id, s.provider_code AS practice_code,
                   s.{start} AS registration_start_date, s.{end} AS registration_end_date,
                   s.date_of_death
            FROM staged_pmi s JOIN link l USING (person_token)
            ORDER BY l.person_id, registration_start_date, registration_id;

            CREATE TABLE imd AS
            SELECT lsoa11cd, CAST(imd_decile AS INTEGER) AS imd_decile, lad19nm AS district
            FROM read_csv({Sql.Path(imdLookup)}, header = true, all_varchar = true);

            CREATE TABLE person AS
            WITH latest AS (
              SELECT person_token, birth_month, sex, lsoa11cd, provider_code AS practice_code
              FROM staged_pmi WHERE person_token IS NOT NULL
              QUALIFY row_number() OVER (PARTITION BY person_token ORDER BY {start} DESC, extract_period DESC, source_row DESC) = 1
            ), spans AS (
              SELECT person_token, min({start}) AS first_registered,
                     CASE WHEN bool_or({end} IS NULL) THEN NULL ELSE max({end}) END AS registered_until,
                     max(date_of_death) AS date_of_death
              FROM staged_pmi WHERE person_token IS NOT NULL GROUP BY person_token
            )
            SELECT l.person_id, latest.birth_month, latest.sex, latest.lsoa11cd, imd.imd_decile,
                   CAST(ceil(imd.imd_decile / 2.0) AS INTEGER) AS imd_quintile, imd.district,
                   latest.practice_code, spans.first_registered, spans.registered_until, spans.date_of_death
            FROM latest JOIN spans USING (person_token) JOIN link l USING (person_token)
            LEFT JOIN imd USING (lsoa11cd)
            ORDER BY l.person_id;
            """);
    }

    /// <summary>An activity feed's rows with their person id and link method; tokens are dropped.</summary>
    public static void LinkActivity(DuckDBConnection db, FeedSchema schema)
    {
        var columns = string.Join(", ", schema.ContentColumns.Select(c => "s." + Sql.Identifier(c.Name)));
        DuckDb.Execute(db, $"""
            CREATE TABLE linked_{schema.Feed} AS
            SELECT p.person_id,
                   CASE WHEN p.person_id IS NULL THEN '{Unlinked}' ELSE '{Deterministic}' END AS link_method,
                   {columns}, s.extract_id, s.source_row,
                   strftime(s.{Sql.Identifier(schema.ActivityDate)}, '%Y-%m') AS period
            FROM staged_{schema.Feed} s
            LEFT JOIN (SELECT l.person_token, l.person_id FROM link l SEMI JOIN person USING (person_id)) p
              ON s.person_token = p.person_token
            ORDER BY s.{Sql.Identifier(schema.ActivityDate)}, s.provider_code, s.{Sql.Identifier(schema.RecordId)}
            """);
    }
}
