using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration.Evaluation;

/// <summary>
/// Snapshot-shaped views (<c>person</c>, <c>intervention</c>, <c>ae</c>, <c>gp_event</c>, <c>apc</c>, <c>op</c>) made straight
/// from the generator's extracts and its truth (the true person of every row), so the evaluation's statistics can be
/// checked against the injected effect on several seeds without staging and linking each one (12 minutes per
/// seed on this shared machine). The real path (staging, linkage, marts, sandbox) is covered by the CLI test.
/// </summary>
public static class GeneratorTables
{
    public static void CreateViews(DuckDBConnection db, string landing, string truth)
    {
        string Csv(string feed) => $"read_csv({Sql.Path(Path.Combine(landing, feed, "*.csv"))}, header = true, all_varchar = true, union_by_name = true)";
        DuckDb.Execute(db, $"""
            CREATE TABLE truth_record AS SELECT * FROM read_csv({Sql.Path(Path.Combine(truth, "records.csv"))}, header = true, all_varchar = true);
            CREATE TABLE truth_person AS SELECT * FROM read_csv({Sql.Path(Path.Combine(truth, "people.csv"))}, header = true, all_varchar = true);

            CREATE TABLE person AS
            WITH reg AS (
              SELECT CAST(r.person_key AS BIGINT) AS person_id, min(CAST(p.registration_start_date AS DATE)) AS first_registered
              FROM {Csv("pmi")} p JOIN truth_record r ON r.feed = 'pmi' AND r.provider_code = p.provider_code AND r.record_id = p.registration_id
              GROUP BY ALL
            )
            SELECT CAST(t.person_key AS BIGINT) AS person_id, substr(t.date_of_birth, 1, 7) AS birth_month, t.sex,
                   CAST(ceil(CAST(t.imd_decile AS INTEGER) / 2.0) AS INTEGER) AS imd_quintile,
                   reg.first_registered, CAST(nullif(t.moved_out_date, '') AS DATE) AS registered_until, CAST(nullif(t.date_of_death, '') AS DATE) AS date_of_death
            FROM truth_person t JOIN reg ON reg.person_id = CAST(t.person_key AS BIGINT);
            """);

        // One row per record (re-sent and late rows collapse to one), with the link columns a snapshot carries.
        foreach (var (feed, id, columns) in new[]
                 {
                     ("intervention", "referral_id", "programme_code, CAST(min(referral_date) AS DATE) AS referral_date, CAST(max(nullif(start_date, '')) AS DATE) AS start_date"),
                     ("ae", "ec_ident", "CAST(min(arrival_date) AS DATE) AS arrival_date"),
                     ("gp_event", "event_id", "CAST(min(event_date) AS DATE) AS event_date, any_value(event_type) AS event_type, any_value(appt_status) AS appt_status"),
                     ("apc", "apcs_ident", "CAST(min(admission_date) AS DATE) AS admission_date, any_value(admission_method) AS admission_method"),
                     ("op", "opa_ident", "CAST(min(appointment_date) AS DATE) AS appointment_date, any_value(attendance_status) AS attendance_status"),
                 })
        {
            DuckDb.Execute(db, $"""
                CREATE TABLE {feed} AS
                SELECT CAST(r.person_key AS BIGINT) AS person_id, 'deterministic' AS link_method, 1.0 AS match_probability, false AS match_uncertain, {columns}
                FROM {Csv(feed)} f JOIN truth_record r ON r.feed = '{feed}' AND r.provider_code = f.provider_code AND r.record_id = f.{id}
                GROUP BY r.person_key, f.provider_code, f.{id}{(feed == "intervention" ? ", programme_code" : "")}
                """);
        }
    }
}
