using System.Diagnostics;
using System.Globalization;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Benchmarks;

/// <summary>
/// <c>evaluate PEOPLE REFERRALS [REPLICATES]</c>: makes snapshot-shaped <c>person</c>, <c>intervention</c>, <c>ae</c>,
/// <c>gp_event</c>, <c>apc</c> and <c>op</c> tables directly in DuckDB (24 months, Poisson-like counts from a gamma
/// frailty, a referral rate raised during a temporary spike, a true rate ratio of 0.8 for 12 months after start),
/// then times the evaluation (risk-set matching with a sampled pool of 50 comparator rows per treated person and
/// month, 1:2 with replacement, DiD, event study, bootstrap) and prints its steps and the peak working set.
/// </summary>
public static class EvaluationBenchmark
{
    public static void Run(long people, long referrals, int replicates)
    {
        var limits = new DuckDbLimits(Environment.ProcessorCount, "6GB");
        using var db = DuckDb.OpenInMemory(limits);
        var clock = Stopwatch.StartNew();
        var share = referrals / (double)people;
        DuckDb.Execute(db, $"""
            CREATE TABLE person AS
            SELECT i AS person_id,
                   strftime(DATE '2025-01-01' - INTERVAL (18 + (hash(i, 1) % 70)) YEAR - INTERVAL (hash(i, 2) % 12) MONTH, '%Y-%m') AS birth_month,
                   CASE WHEN hash(i, 3) % 2 = 0 THEN '1' ELSE '2' END AS sex,
                   CAST(1 + hash(i, 4) % 5 AS INTEGER) AS imd_quintile,
                   DATE '2015-01-01' AS first_registered, CAST(NULL AS DATE) AS registered_until, CAST(NULL AS DATE) AS date_of_death,
                   -- gamma-ish frailty: -ln(U) (exponential) mixed with 0.5
                   0.5 + 0.5 * -ln((hash(i, 5) % 1000000 + 1) / 1000001.0) AS frailty
            FROM range(1, {people + 1}) t(i);

            -- Referrals: a share of people, more often during a spike (the spike month gets 3× use below).
            CREATE TABLE intervention AS
            SELECT person_id, 'SP' AS programme_code, 'deterministic' AS link_method, 1.0 AS match_probability, false AS match_uncertain,
                   -- DATE + INTERVAL is a TIMESTAMP in DuckDB; the snapshot's columns are DATEs, so cast.
                   CAST(DATE '2024-01-01' + INTERVAL (hash(person_id, 6) % 365) DAY AS DATE) AS referral_date,
                   CAST(DATE '2024-01-01' + INTERVAL (hash(person_id, 6) % 365 + 7 + hash(person_id, 7) % 28) DAY AS DATE) AS start_date
            FROM person WHERE (hash(person_id, 8) % 1000000) / 1000000.0 < {share.ToString("R", CultureInfo.InvariantCulture)} * (0.5 + frailty / 2);

            -- Monthly use 2023-01 .. 2024-12 (24 months) + 2025 (12 months) per setting: Poisson draws by inversion over a few counts.
            CREATE TABLE month_use AS
            SELECT p.person_id, m.month, p.frailty
                   * CASE WHEN r.referral_date IS NOT NULL AND m.month BETWEEN date_trunc('month', r.referral_date) - INTERVAL 1 MONTH AND date_trunc('month', r.referral_date) THEN 3 ELSE 1 END
                   * CASE WHEN r.start_date IS NOT NULL AND m.month > date_trunc('month', r.start_date) AND m.month <= date_trunc('month', r.start_date) + INTERVAL 12 MONTH THEN 0.8 ELSE 1 END AS scale
            FROM person p CROSS JOIN (SELECT CAST(range AS DATE) AS month FROM range(DATE '2023-01-01', DATE '2025-12-01', INTERVAL 1 MONTH)) m
            LEFT JOIN intervention r USING (person_id);
            """);
        var generated = clock.Elapsed.TotalSeconds;
        foreach (var (table, date, rate, extra) in new[]
                 {
                     ("ae", "arrival_date", 0.35, ""),
                     ("gp_event", "event_date", 5.0, ", 'A' AS event_type, 'Attended' AS appt_status"),
                     ("apc", "admission_date", 0.12, ", '21' AS admission_method"),
                     ("op", "appointment_date", 1.5, ", '5' AS attendance_status"),
                 })
        {
            DuckDb.Execute(db, $"""
                CREATE TABLE {table} AS
                -- The Poisson mean is "mu": DuckDB reserves "lambda" (its lambda-function syntax).
                WITH u AS (SELECT person_id, month, scale * {rate.ToString("R", CultureInfo.InvariantCulture)} / 12 AS mu, (hash(person_id, month, '{table}') % 1000000) / 1000000.0 AS u FROM month_use),
                     n AS (SELECT person_id, month, CASE WHEN u < exp(-mu) THEN 0 WHEN u < exp(-mu) * (1 + mu) THEN 1
                                                          WHEN u < exp(-mu) * (1 + mu + mu * mu / 2) THEN 2 ELSE 3 END AS n FROM u)
                SELECT person_id, 'deterministic' AS link_method, 1.0 AS match_probability, false AS match_uncertain,
                       CAST(month + INTERVAL (k * 7) DAY AS DATE) AS {date} {extra}
                FROM n, range(n.n) t(k) WHERE n.n > 0
                """);
        }

        DuckDb.Execute(db, "DROP TABLE month_use");
        var rows = DuckDb.Scalar<long>(db, "SELECT (SELECT count(*) FROM ae) + (SELECT count(*) FROM gp_event) + (SELECT count(*) FROM apc) + (SELECT count(*) FROM op)");
        var treated = DuckDb.Scalar<long>(db, "SELECT count(*) FROM intervention");
        var built = clock.Elapsed.TotalSeconds;
        var spec = new EvaluationSpec
        {
            Name = "benchmark",
            Windows = new EventWindows(),
            Covariates = ["age", "female", "imd_quintile", "prior_ae_attendances", "prior_gp_appointments", "prior_emergency_admissions", "prior_outpatient_attendances"],
            Outcomes = ["ae_attendances", "gp_appointments", "emergency_admissions"],
            NegativeControl = "outpatient_attendances",
            Matching = new MatchingOptions(Ratio: 2),
            PoolPerTreated = 50,
            Replicates = replicates,
        };
        var evaluation = Stopwatch.StartNew();
        var result = Evaluator.Evaluate(db, spec, "benchmark tables", hasPersonYear: false);
        var ae = result.Outcomes[0].All;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            evaluate: {people:N0} people, {treated:N0} referrals, {rows:N0} activity rows (made in {built:F1} s, of which person/intervention {generated:F1} s)
            index months {result.FirstIndexMonth} to {result.LastIndexMonth}: {result.TreatedEligible:N0} treated, {result.ComparatorRows:N0} comparator rows, {result.Matching.Sets.Count:N0} matched sets, {replicates} bootstrap replicates
            evaluation {evaluation.Elapsed.TotalSeconds:F1} s (wall); A&E rate ratio {ae.RateRatio.Value:F3} ({ae.RateRatio.Lower:F3} to {ae.RateRatio.Upper:F3}), true 0.8 in months 1-12
            peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; DuckDB {limits.Threads} threads, memory limit {limits.MemoryLimit}
            """));
    }
}
