using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>What probabilistic linkage did in one publish, counted in records (rows of activity feeds).</summary>
public sealed record ProbabilisticLinkageResult(
    FellegiSunterResult? Model,
    long Records,
    long Linked,
    long Uncertain,
    long ProvisionalRecords,
    long ProvisionalPersons,
    long Changes);

/// <summary>
/// The second linkage pass of a publish, after <see cref="DeterministicLinker"/>: every activity row
/// without a person (no valid NHS number, or one not in the person index) is linked by
/// <see cref="FellegiSunterLinker"/> against the person index's match tokens from the pmi. The best
/// candidate at or above the lower threshold is linked ('probabilistic'; flagged <c>match_uncertain</c>
/// below the upper threshold or when a runner-up is close); below it the record joins a provisional
/// person, one per identical token set ('provisional'). Decisions are reconciled with
/// <see cref="LinkHistory"/> so person ids stay put across refreshes, then written into
/// <c>linked_&lt;feed&gt;</c> (columns <c>person_id, link_method, match_probability, match_uncertain</c>)
/// and provisional persons are added to <c>person</c> (<c>provisional = true</c>).
/// </summary>
public static class ProbabilisticLinkage
{
    /// <summary>
    /// A new provisional person's id is this (2^60) plus 60 bits of the MD5 of its first record's feed,
    /// provider and record id: apart from registered persons (1, 2, …), and a function of the records
    /// alone, not of the order refreshes met them. A counter would depend on history (a record that
    /// becomes provisional only when a later month refits the model would be numbered after persons made
    /// earlier, where a full rebuild numbers it among them), so an incremental refresh and a full rebuild
    /// would number the same persons differently (docs/incremental-refresh.md). Datasets from before keep
    /// their lower, counted provisional ids.
    /// </summary>
    public const long ProvisionalIdBase = 1L << 60;

    private static readonly (string Token, string Column)[] TokenMap =
    [
        ("given", "mt_given_name"), ("family", "mt_family_name"), ("soundex", "mt_family_soundex"), ("initial", "mt_first_initial"),
        ("dob", "mt_dob"), ("yob", "mt_yob"), ("dob_swapped", "mt_dob_swapped"), ("postcode", "mt_postcode"), ("sector", "mt_postcode_sector"),
        ("given_soundex", "mt_given_soundex"), ("given_bloom", "mt_given_bloom"), ("family_bloom", "mt_family_bloom"), ("dob_md", "mt_dob_day_month"),
    ];

    /// <summary>The linker's token columns from a staged table (a token column an older extract lacks is missing).</summary>
    private static string TokenSelect(DuckDBConnection db, string feed) =>
        string.Join(", ", TokenMap.Select(t => HasColumn(db, feed, t.Column) ? $"CAST(s.{t.Column} AS VARCHAR) AS {t.Token}" : $"NULL::VARCHAR AS {t.Token}")) +
        ", CASE WHEN CAST(s.sex AS VARCHAR) IN ('1', '2') THEN CAST(s.sex AS VARCHAR) END AS sex";

    /// <summary>Runs the pass. <c>link_history</c> and <c>provisional_person</c> must be loaded (<see cref="LinkHistory.Load"/>).</summary>
    public static ProbabilisticLinkageResult Run(
        DuckDBConnection db, IReadOnlyDictionary<string, FeedSchema> schemas, IReadOnlyList<string> activityFeeds,
        LinkageSettings settings, string snapshotId, DateTime now)
    {
        DuckDb.Execute(db, "CREATE OR REPLACE TABLE pl_link AS SELECT l.person_token, l.person_id FROM link l SEMI JOIN person USING (person_id)");
        DuckDb.Execute(db, HasTokens(db, "pmi")
            ? $"CREATE OR REPLACE TABLE pl_person_tokens AS SELECT l.person_id, row_number() OVER (ORDER BY s.extract_id, s.source_row) AS set_order, {TokenSelect(db, "pmi")} FROM staged_pmi s JOIN pl_link l USING (person_token)"
            : "CREATE OR REPLACE TABLE pl_person_tokens AS SELECT NULL::BIGINT AS person_id, NULL::BIGINT AS set_order, " + string.Join(", ", Comparisons.TokenColumns.Select(c => $"NULL::VARCHAR AS {c}")) + " LIMIT 0");

        var sources = activityFeeds.Where(f => HasTokens(db, f)).Select(f =>
        {
            var schema = schemas[f];
            return $"""
                SELECT '{f}' AS feed, s.extract_period, s.extract_id, s.source_row, s.provider_code, CAST(s.{Sql.Identifier(schema.RecordId)} AS VARCHAR) AS record_id,
                       s.birth_month, s.lsoa11cd, {TokenSelect(db, f)}
                FROM staged_{f} s LEFT JOIN pl_link l USING (person_token) WHERE l.person_id IS NULL
                """;
        }).ToList();
        DuckDb.Execute(db, sources.Count == 0
            ? "CREATE OR REPLACE TABLE pl_source AS SELECT NULL::BIGINT AS record_key, NULL::VARCHAR AS feed, NULL::VARCHAR AS extract_id, NULL::BIGINT AS source_row, NULL::VARCHAR AS provider_code, NULL::VARCHAR AS record_id, NULL::VARCHAR AS birth_month, NULL::VARCHAR AS lsoa11cd, NULL::VARCHAR AS sex LIMIT 0"
            : $"CREATE OR REPLACE TABLE pl_source AS SELECT row_number() OVER (ORDER BY extract_period, feed, extract_id, source_row) AS record_key, * EXCLUDE (extract_period) FROM ({string.Join("\nUNION ALL\n", sources)})");
        var records = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_source");

        FellegiSunterResult? model = null;
        if (records > 0)
        {
            DuckDb.Execute(db, $"CREATE OR REPLACE TABLE pl_records AS SELECT record_key, {string.Join(", ", Comparisons.TokenColumns)} FROM pl_source");
            model = FellegiSunterLinker.Run(db, settings);
            Decide(db, snapshotId, settings);
        }
        else
        {
            DuckDb.Execute(db, """
                CREATE OR REPLACE TABLE pl_final (record_key BIGINT, feed VARCHAR, provider_code VARCHAR, record_id VARCHAR, extract_id VARCHAR,
                  source_row BIGINT, person_id BIGINT, link_method VARCHAR, match_probability DOUBLE, uncertain BOOLEAN, change VARCHAR)
                """);
        }

        var changes = UpdateHistory(db, snapshotId, now);
        foreach (var feed in activityFeeds)
        {
            Apply(db, schemas[feed]);
        }

        AddProvisionalPersons(db);
        var (linked, uncertain, provisional, provisionalPersons) = db.QuerySingle<(long, long, long, long)>($"""
            SELECT count(*) FILTER (link_method = '{FellegiSunterLinker.Probabilistic}'), count(*) FILTER (uncertain),
                   count(*) FILTER (link_method = '{FellegiSunterLinker.Provisional}'),
                   count(DISTINCT person_id) FILTER (link_method = '{FellegiSunterLinker.Provisional}')
            FROM pl_final
            """);
        return new ProbabilisticLinkageResult(model, records, linked, uncertain, provisional, provisionalPersons, changes);
    }

    /// <summary>Provisional ids for new token sets, then each record's decision reconciled with its open history row.</summary>
    private static void Decide(DuckDBConnection db, string snapshotId, LinkageSettings settings)
    {
        // A new token set whose records all belonged to one provisional person that no current token set
        // claims (the key was rotated, or the records were corrected) takes that person's id over.
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_reuse AS
            SELECT d.profile_key, min(h.person_id) AS person_id
            FROM pl_decision d JOIN pl_record_profile rp USING (profile_key) JOIN pl_source s USING (record_key)
            JOIN link_history h ON h.valid_to IS NULL AND h.link_method = '{FellegiSunterLinker.Provisional}'
              AND h.feed = s.feed AND h.provider_code = s.provider_code AND h.record_id = s.record_id
            JOIN provisional_person pp ON pp.person_id = h.person_id
            WHERE d.decision = '{FellegiSunterLinker.Provisional}' AND d.profile_key NOT IN (SELECT profile_key FROM provisional_person)
              AND pp.profile_key NOT IN (SELECT profile_key FROM pl_decision WHERE decision = '{FellegiSunterLinker.Provisional}')
            GROUP BY d.profile_key HAVING count(DISTINCT h.person_id) = 1
            QUALIFY row_number() OVER (PARTITION BY min(h.person_id) ORDER BY min(d.first_record)) = 1;
            UPDATE provisional_person SET profile_key = r.profile_key FROM pl_reuse r WHERE provisional_person.person_id = r.person_id;
            """);
        NumberNewProvisionalPersons(db, snapshotId);
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_new AS
            SELECT s.record_key, s.feed, s.provider_code, s.record_id, s.extract_id, s.source_row, rp.profile_key,
                   coalesce(d.person_id, pp.person_id) AS person_id, d.decision AS link_method,
                   CASE WHEN d.decision = '{FellegiSunterLinker.Probabilistic}' THEN d.match_probability END AS match_probability,
                   coalesce(d.uncertain, false) AS uncertain
            FROM pl_source s JOIN pl_record_profile rp USING (record_key) JOIN pl_decision d USING (profile_key)
            LEFT JOIN provisional_person pp ON d.decision = '{FellegiSunterLinker.Provisional}' AND pp.profile_key = d.profile_key;

            -- A record keeps its earlier person while that person is still a candidate at or above the
            -- lower threshold (flagged uncertain: the model now prefers someone else); otherwise the new
            -- decision stands and the change is recorded.
            CREATE OR REPLACE TABLE pl_final AS
            SELECT n.record_key, n.feed, n.provider_code, n.record_id, n.extract_id, n.source_row,
                   CASE WHEN kept.person_id IS NOT NULL THEN h.person_id ELSE n.person_id END AS person_id,
                   CASE WHEN kept.person_id IS NOT NULL THEN '{FellegiSunterLinker.Probabilistic}' ELSE n.link_method END AS link_method,
                   CASE WHEN kept.person_id IS NOT NULL THEN kept.p ELSE n.match_probability END AS match_probability,
                   CASE WHEN kept.person_id IS NOT NULL THEN true ELSE n.uncertain END AS uncertain,
                   CASE WHEN h.person_id IS NULL THEN 'new'
                        WHEN h.person_id = n.person_id OR kept.person_id IS NOT NULL THEN 'unchanged'
                        WHEN h.link_method = '{FellegiSunterLinker.Provisional}' THEN 'merged'
                        ELSE 'relinked' END AS change
            FROM pl_new n
            LEFT JOIN link_history h ON h.valid_to IS NULL AND h.feed = n.feed AND h.provider_code = n.provider_code AND h.record_id = n.record_id
            LEFT JOIN (SELECT profile_key, person_id, 1 / (1 + pow(2, -match_weight)) AS p FROM pl_scored) kept
              ON kept.profile_key = n.profile_key AND kept.person_id = h.person_id AND h.person_id <> n.person_id
                 AND h.link_method = '{FellegiSunterLinker.Probabilistic}' AND n.link_method = '{FellegiSunterLinker.Probabilistic}'
                 AND kept.p >= {settings.LowerThreshold.ToString("R", CultureInfo.InvariantCulture)};
            """);
    }

    /// <summary>
    /// Ids for provisional token sets not yet in <c>provisional_person</c> (<see cref="ProvisionalIdBase"/>).
    /// Two first records whose 60 bits coincide (about 1 in 10^6 for a million provisional persons) are
    /// told apart by moving the later one (by record order) up by one until the id is free.
    /// </summary>
    private static void NumberNewProvisionalPersons(DuckDBConnection db, string snapshotId)
    {
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_new_provisional AS
            SELECT d.profile_key, d.first_record,
                   {ProvisionalIdBase} + CAST(md5_number(concat_ws('/', s.feed, s.provider_code, s.record_id)) % CAST({ProvisionalIdBase} AS UHUGEINT) AS BIGINT) AS person_id
            FROM pl_decision d JOIN pl_source s ON s.record_key = d.first_record
            WHERE d.decision = '{FellegiSunterLinker.Provisional}' AND d.profile_key NOT IN (SELECT profile_key FROM provisional_person)
            """);
        for (var round = 0; round < 1000; round++)
        {
            DuckDb.Execute(db, """
                CREATE OR REPLACE TABLE pl_clash AS
                SELECT profile_key FROM pl_new_provisional n
                WHERE n.person_id IN (SELECT person_id FROM provisional_person)
                   OR EXISTS (SELECT 1 FROM pl_new_provisional o WHERE o.person_id = n.person_id AND o.first_record < n.first_record)
                """);
            if (DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_clash") == 0)
            {
                break;
            }

            DuckDb.Execute(db, "UPDATE pl_new_provisional SET person_id = person_id + 1 WHERE profile_key IN (SELECT profile_key FROM pl_clash)");
        }

        DuckDb.Execute(db, $"INSERT INTO provisional_person SELECT profile_key, person_id, {Sql.Literal(snapshotId)} FROM pl_new_provisional ORDER BY first_record");
    }

    /// <summary>Closes changed or vanished open rows and opens rows for new and changed links; returns the number of changes.</summary>
    private static long UpdateHistory(DuckDBConnection db, string snapshotId, DateTime now)
    {
        var at = $"TIMESTAMP '{now.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'";
        var snapshot = Sql.Literal(snapshotId);
        var changes = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_final WHERE change IN ('relinked', 'merged')");
        DuckDb.Execute(db, $"""
            UPDATE link_history h SET valid_to = {at}, valid_to_snapshot = {snapshot}, end_reason = f.change
            FROM pl_final f
            WHERE h.valid_to IS NULL AND f.change IN ('relinked', 'merged')
              AND h.feed = f.feed AND h.provider_code = f.provider_code AND h.record_id = f.record_id;

            UPDATE link_history SET valid_to = {at}, valid_to_snapshot = {snapshot}, end_reason = 'linked deterministically or withdrawn'
            WHERE valid_to IS NULL AND NOT EXISTS (
              SELECT 1 FROM pl_final f WHERE f.feed = link_history.feed AND f.provider_code = link_history.provider_code AND f.record_id = link_history.record_id);

            INSERT INTO link_history
            SELECT feed, provider_code, record_id, person_id, link_method, match_probability, change, {at}, {snapshot}, NULL, NULL, NULL
            FROM pl_final WHERE change IN ('new', 'relinked', 'merged') ORDER BY feed, provider_code, record_id;
            """);
        return changes;
    }

    /// <summary>Rewrites <c>linked_&lt;feed&gt;</c> with the probabilistic decisions and the match columns.</summary>
    private static void Apply(DuckDBConnection db, FeedSchema schema)
    {
        var feed = schema.Feed;
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE linked_{feed} AS
            SELECT coalesce(l.person_id, x.person_id) AS person_id,
                   CASE WHEN l.person_id IS NULL AND x.person_id IS NOT NULL THEN x.link_method ELSE l.link_method END AS link_method,
                   CASE WHEN l.person_id IS NOT NULL THEN 1.0 ELSE x.match_probability END::DOUBLE AS match_probability,
                   coalesce(l.person_id IS NULL AND x.uncertain, false) AS match_uncertain,
                   l.* EXCLUDE (person_id, link_method)
            FROM linked_{feed} l
            LEFT JOIN (SELECT * FROM pl_final WHERE feed = '{feed}') x ON x.extract_id = l.extract_id AND x.source_row = l.source_row
            ORDER BY l.{Sql.Identifier(schema.ActivityDate)}, l.provider_code, l.{Sql.Identifier(schema.RecordId)}
            """);
    }

    /// <summary>One person row per provisional person, described by its earliest record.</summary>
    private static void AddProvisionalPersons(DuckDBConnection db)
    {
        DuckDb.Execute(db, $"""
            ALTER TABLE person ADD COLUMN provisional BOOLEAN DEFAULT false;
            INSERT INTO person BY NAME
            SELECT f.person_id, arg_min(s.birth_month, s.record_key) AS birth_month, arg_min(s.sex, s.record_key) AS sex,
                   arg_min(s.lsoa11cd, s.record_key) AS lsoa11cd, true AS provisional
            FROM pl_final f JOIN pl_source s USING (record_key)
            WHERE f.link_method = '{FellegiSunterLinker.Provisional}' AND f.person_id NOT IN (SELECT person_id FROM person)
            GROUP BY f.person_id;
            UPDATE person SET imd_decile = imd.imd_decile, imd_quintile = CAST(ceil(imd.imd_decile / 2.0) AS INTEGER), district = imd.district
            FROM imd WHERE person.provisional AND person.lsoa11cd = imd.lsoa11cd;
            CREATE OR REPLACE TABLE person AS SELECT * FROM person ORDER BY person_id;
            """);
    }

    private static bool HasTokens(DuckDBConnection db, string feed) => HasColumn(db, feed, "mt_dob");

    private static bool HasColumn(DuckDBConnection db, string feed, string column) =>
        DuckDb.Scalar<long>(db, $"SELECT count(*) FROM information_schema.columns WHERE table_name = 'staged_{feed}' AND column_name = {Sql.Literal(column)}") > 0;
}
