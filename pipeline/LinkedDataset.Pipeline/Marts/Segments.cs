using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Marts;

/// <summary>
/// Segments of each person at the start (1 April, "S") of each financial year, from data dated before S
/// only. Creates <c>segment_year</c>: one row per person registered on some day of the year and alive at S
/// (or born in the year).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Age</b> at S from birth month (born on the 1st; born in the year = 0); bands 0-4, 5-17, 18-44, 45-64, 65-74, 75-84, 85+.</item>
/// <item><b>Sex, IMD 2019 decile and quintile, district</b>: from <c>person</c> (LSOA 2011 → IMD; quintile 1 = most deprived).</item>
/// <item><b>eFI</b>: distinct deficits among the 35 coded deficits (any code of the deficit's list in the GP record
/// before S) plus polypharmacy as the 36th. There is no medication feed, so polypharmacy is a <b>proxy</b>: the typical
/// repeat medications of each long-term condition present (<c>codelists/efi/polypharmacy-proxy.csv</c>) summed, 5+ = the
/// deficit. Score = deficits / 36, categories on the unrounded score: fit ≤ 0.12 &lt; mild ≤ 0.24 &lt; moderate ≤ 0.36 &lt;
/// severe (so 4 deficits fit, 5–8 mild, 9–12 moderate, 13+ severe).</item>
/// <item><b>LTC count</b>: long-term condition codelists with any code before S; multimorbidity = 2+.</item>
/// <item><b>Charlson</b>: Quan 2005 ICD-10 conditions in any APC diagnosis (primary or secondary) of a spell admitted
/// before S, Charlson weights; hierarchy: mild liver disease, uncomplicated diabetes and any malignancy count 0 when
/// moderate/severe liver disease, diabetes with complications or metastatic solid tumour are present.</item>
/// <item><b>Lives alone</b>: from the person table's household columns when present (<c>household_size</c> = 1, or the
/// only person of a <c>household_id</c> registered and alive at S); null when the person table has none.</item>
/// <item><b>Long-term social care</b>: a social care service of type "Long Term Support: …" open on the day before S;
/// <b>care home</b>: such a service of residential or nursing kind. <b>Telecare user</b>: a telecare package open on the day before S.</item>
/// <item><b>Bridges to Health segment</b> (<see cref="RulesVersion"/>), the first that applies:
/// end_of_life (a palliative care code before S, or a metastatic solid tumour diagnosed in the 12 months before S);
/// frailty (age 65+ and eFI moderate/severe, or in a care home, or dementia);
/// complex_chronic (3+ LTCs, or Charlson 3+, or 1+ LTC with 2+ emergency admissions in the 12 months before S);
/// maternity_infancy (age under 1 at S or born in the year, or a maternity admission — method 31/32 or an O-chapter primary
/// diagnosis — in the 12 months before S);
/// stable_chronic (1+ LTC or Charlson 1+);
/// acutely_ill (an emergency admission or 2+ A&amp;E attendances in the 12 months before S);
/// healthy (everyone else).</item>
/// </list>
/// </remarks>
public static class Segments
{
    /// <summary>Version of the segment rules above; bump it when a rule changes.</summary>
    public const string RulesVersion = "b2h-rules.1";

    public static readonly IReadOnlyList<(int From, string Label)> AgeBands =
        [(0, "0-4"), (5, "5-17"), (18, "18-44"), (45, "45-64"), (65, "65-74"), (75, "75-84"), (85, "85+")];

    /// <summary>eFI category of a deficit count, on the unrounded score deficits / 36.</summary>
    public static string EfiCategory(int deficits)
    {
        var score = deficits / 36.0;
        return score <= 0.12 ? "fit" : score <= 0.24 ? "mild" : score <= 0.36 ? "moderate" : "severe";
    }

    /// <summary>Creates <c>years</c>, <c>population_year</c> and <c>segment_year</c>.</summary>
    public static void Build(DuckDBConnection db, MartWindow window, MartReference reference) => Build(new MartSink(db, null), window, reference);

    /// <summary>As <see cref="Build(DuckDBConnection, MartWindow, MartReference)"/>, each statement timed by <paramref name="sink"/>.</summary>
    internal static void Build(MartSink sink, MartWindow window, MartReference reference)
    {
        var db = sink.Db;
        var years = string.Join(", ", window.FinancialYears.Select(y =>
            $"({y}, {MartWindow.DateSql(FinancialYear.Start(y))}, {MartWindow.DateSql(FinancialYear.End(y).AddDays(1))}, " +
            $"'{FinancialYear.Label(y)}', {(FinancialYear.Start(y) >= window.Start && FinancialYear.End(y) <= window.End ? "true" : "false")})"));
        var bands = string.Join(" ", AgeBands.Reverse().Select(b => $"WHEN age >= {b.From} THEN '{b.Label}'"));
        var livesAlone = LivesAloneSql(db);
        sink.Run("segments: conditions before each year", $"""
            CREATE OR REPLACE TABLE years AS
              SELECT * FROM (VALUES {years}) t(fin_year, year_start, year_end_excl, fin_year_label, year_complete);

            CREATE OR REPLACE TABLE population_year AS
            SELECT y.fin_year, r.person_id,
                   CAST(least(12, sum(datediff('month', date_trunc('month', greatest(r.registration_start_date, y.year_start)),
                        date_trunc('month', least(coalesce(r.registration_end_date, y.year_end_excl - 1), y.year_end_excl - 1))) + 1)) AS INTEGER) AS months_registered
            FROM years y
            JOIN registration r ON r.registration_start_date < y.year_end_excl AND (r.registration_end_date IS NULL OR r.registration_end_date >= y.year_start)
            JOIN person p ON p.person_id = r.person_id
            WHERE p.date_of_death IS NULL OR p.date_of_death >= y.year_start
            GROUP BY y.fin_year, r.person_id;

            CREATE OR REPLACE TABLE efi_first AS
              SELECT g.person_id, e.deficit, min(g.event_date) AS first_date
              FROM gp_event g JOIN ref_efi e ON g.snomedct_code = e.code
              WHERE g.person_id IS NOT NULL AND g.event_type = 'C' GROUP BY ALL;
            CREATE OR REPLACE TABLE ltc_first AS
              SELECT g.person_id, l.condition, min(g.event_date) AS first_date
              FROM gp_event g JOIN ref_ltc l ON g.snomedct_code = l.code
              WHERE g.person_id IS NOT NULL AND g.event_type = 'C' GROUP BY ALL;
            CREATE OR REPLACE TABLE palliative_first AS
              SELECT g.person_id, min(g.event_date) AS first_date
              FROM gp_event g JOIN ref_palliative c ON g.snomedct_code = c.code
              WHERE g.person_id IS NOT NULL AND g.event_type = 'C' GROUP BY ALL;
            CREATE OR REPLACE TABLE charlson_diagnosis AS
              WITH dx AS (
                SELECT person_id, admission_date, upper(trim(d)) AS code
                FROM (SELECT person_id, admission_date,
                             unnest(string_split(coalesce(primary_diagnosis, '') || ',' || coalesce(secondary_diagnoses, ''), ',')) AS d
                      FROM apc WHERE person_id IS NOT NULL)
                WHERE trim(d) <> ''
              )
              SELECT dx.person_id, dx.admission_date, c.condition, c.weight FROM dx JOIN ref_charlson c ON c.prefix = left(dx.code, 3)
              UNION
              SELECT dx.person_id, dx.admission_date, c.condition, c.weight FROM dx JOIN ref_charlson c ON c.prefix = left(dx.code, 4);
            """);
        sink.Run("segments: segment_year", $"""
            CREATE OR REPLACE TABLE segment_year AS
            WITH base AS (
              SELECT y.fin_year, y.fin_year_label, y.year_start, y.year_end_excl, y.year_complete, py.person_id, py.months_registered,
                     p.birth_month, p.sex, p.imd_decile, p.imd_quintile, p.district, p.date_of_death,
                     (year(y.year_start) * 12 + month(y.year_start)) - (CAST(left(p.birth_month, 4) AS INTEGER) * 12 + CAST(right(p.birth_month, 2) AS INTEGER)) AS age_months
              FROM population_year py JOIN years y USING (fin_year) JOIN person p USING (person_id)
            ), efi AS (
              SELECT y.fin_year, f.person_id, count(DISTINCT f.deficit) AS n
              FROM years y JOIN efi_first f ON f.first_date < y.year_start GROUP BY ALL
            ), ltc AS (
              SELECT y.fin_year, f.person_id, count(DISTINCT f.condition) AS n, coalesce(sum(pp.medications), 0) AS medications,
                     bool_or(f.condition = 'dementia') AS dementia
              FROM years y JOIN ltc_first f ON f.first_date < y.year_start LEFT JOIN ref_polypharmacy pp USING (condition) GROUP BY ALL
            ), ch_conditions AS (
              SELECT y.fin_year, c.person_id, c.condition, any_value(c.weight) AS weight,
                     bool_or(c.admission_date >= y.year_start - INTERVAL 1 YEAR) AS last_12_months
              FROM years y JOIN charlson_diagnosis c ON c.admission_date < y.year_start GROUP BY ALL
            ), ch AS (
              SELECT fin_year, person_id, sum(weight) AS raw_sum,
                     bool_or(condition = 'mld') AS mld, bool_or(condition = 'msld') AS msld,
                     bool_or(condition = 'diab') AS diab, bool_or(condition = 'diabwc') AS diabwc,
                     bool_or(condition = 'canc') AS canc, bool_or(condition = 'metacanc') AS metacanc,
                     bool_or(condition = 'metacanc' AND last_12_months) AS metacanc_12m
              FROM ch_conditions GROUP BY ALL
            ), prior AS (
              SELECT y.fin_year, a.person_id,
                     count(*) FILTER (a.setting = 'apc_emergency') AS emergency_12m,
                     count(*) FILTER (a.setting = 'ae') AS ae_12m
              FROM years y JOIN costed_activity a ON a.start_date >= y.year_start - INTERVAL 1 YEAR AND a.start_date < y.year_start
              WHERE a.setting IN ('apc_emergency', 'ae') GROUP BY ALL
            ), maternity AS (
              SELECT DISTINCT y.fin_year, a.person_id
              FROM years y JOIN apc a ON a.admission_date >= y.year_start - INTERVAL 1 YEAR AND a.admission_date < y.year_start
              WHERE a.person_id IS NOT NULL AND (a.admission_method IN ('31', '32') OR a.primary_diagnosis LIKE 'O%')
            ), care AS (
              SELECT y.fin_year, s.person_id, bool_or(s.long_term) AS long_term_social_care,
                     bool_or(s.long_term AND s.kind IN ('residential', 'nursing')) AS care_home
              FROM years y JOIN sc_service s ON s.start_date < y.year_start AND s.end_excl >= y.year_start GROUP BY ALL
            ), tele AS (
              SELECT DISTINCT y.fin_year, t.person_id FROM years y JOIN tc_package t ON t.start_date < y.year_start AND t.end_excl >= y.year_start
            ), pall AS (
              SELECT y.fin_year, f.person_id FROM years y JOIN palliative_first f ON f.first_date < y.year_start
            ), alone AS (
              {livesAlone}
            ), joined AS (
              SELECT b.*, greatest(coalesce(b.age_months, 0), 0) // 12 AS age, coalesce(b.age_months < 12, false) AS infant,
                     coalesce(efi.n, 0) + CASE WHEN coalesce(ltc.medications, 0) >= 5 THEN 1 ELSE 0 END AS efi_deficits,
                     coalesce(ltc.medications, 0) >= 5 AS efi_polypharmacy_proxy,
                     coalesce(ltc.n, 0) AS ltc_count, coalesce(ltc.dementia, false) AS dementia,
                     coalesce(ch.raw_sum, 0)
                       - CASE WHEN ch.mld AND ch.msld THEN 1 ELSE 0 END
                       - CASE WHEN ch.diab AND ch.diabwc THEN 1 ELSE 0 END
                       - CASE WHEN ch.canc AND ch.metacanc THEN 2 ELSE 0 END AS charlson_index,
                     coalesce(ch.metacanc_12m, false) AS metastatic_12m,
                     alone.lives_alone,
                     coalesce(care.long_term_social_care, false) AS long_term_social_care, coalesce(care.care_home, false) AS care_home,
                     tele.person_id IS NOT NULL AS telecare_user, pall.person_id IS NOT NULL AS palliative,
                     coalesce(prior.emergency_12m, 0) AS emergency_admissions_prior_12m, coalesce(prior.ae_12m, 0) AS ae_attendances_prior_12m,
                     maternity.person_id IS NOT NULL AS maternity_12m
              FROM base b
              LEFT JOIN efi USING (fin_year, person_id) LEFT JOIN ltc USING (fin_year, person_id) LEFT JOIN ch USING (fin_year, person_id)
              LEFT JOIN prior USING (fin_year, person_id) LEFT JOIN maternity USING (fin_year, person_id) LEFT JOIN care USING (fin_year, person_id)
              LEFT JOIN tele USING (fin_year, person_id) LEFT JOIN pall USING (fin_year, person_id) LEFT JOIN alone USING (fin_year, person_id)
            ), scored AS (
              SELECT *, efi_deficits / 36.0 AS efi_score FROM joined
            )
            SELECT person_id, fin_year, fin_year_label, year_start, year_end_excl, year_complete, months_registered, date_of_death,
                   CAST(age AS INTEGER) AS age, CASE WHEN birth_month IS NULL THEN NULL {bands} END AS age_band,
                   sex, imd_decile, imd_quintile, district,
                   CAST(efi_deficits AS INTEGER) AS efi_deficits, efi_score, efi_polypharmacy_proxy,
                   CASE WHEN efi_score <= 0.12 THEN 'fit' WHEN efi_score <= 0.24 THEN 'mild' WHEN efi_score <= 0.36 THEN 'moderate' ELSE 'severe' END AS efi_category,
                   CAST(ltc_count AS INTEGER) AS ltc_count, ltc_count >= 2 AS multimorbidity,
                   CAST(charlson_index AS INTEGER) AS charlson_index,
                   lives_alone, long_term_social_care, care_home, telecare_user,
                   CAST(emergency_admissions_prior_12m AS INTEGER) AS emergency_admissions_prior_12m,
                   CAST(ae_attendances_prior_12m AS INTEGER) AS ae_attendances_prior_12m,
                   CASE WHEN palliative OR metastatic_12m THEN 'end_of_life'
                        WHEN (age >= 65 AND efi_score > 0.24) OR care_home OR dementia THEN 'frailty'
                        WHEN ltc_count >= 3 OR charlson_index >= 3 OR (ltc_count >= 1 AND emergency_admissions_prior_12m >= 2) THEN 'complex_chronic'
                        WHEN infant OR maternity_12m THEN 'maternity_infancy'
                        WHEN ltc_count >= 1 OR charlson_index >= 1 THEN 'stable_chronic'
                        WHEN emergency_admissions_prior_12m >= 1 OR ae_attendances_prior_12m >= 2 THEN 'acutely_ill'
                        ELSE 'healthy' END AS segment,
                   {Sql.Literal(reference.EfiVersion)} AS efi_codelist_version,
                   {Sql.Literal(reference.LtcVersion)} AS ltc_codelist_version,
                   {Sql.Literal(reference.CharlsonVersion)} AS charlson_codelist_version,
                   {Sql.Literal(reference.PalliativeVersion)} AS palliative_codelist_version,
                   {Sql.Literal(RulesVersion)} AS segment_rules_version
            FROM scored
            """);
    }

    /// <summary>True when the person table has household columns (another stage may add them).</summary>
    public static string? HouseholdColumn(DuckDBConnection db)
    {
        var columns = db.Query<string>("SELECT column_name FROM (DESCRIBE person)").ToHashSet(StringComparer.Ordinal);

        return columns.Contains("household_size") ? "household_size" : columns.Contains("household_id") ? "household_id" : null;
    }

    private static string LivesAloneSql(DuckDBConnection db) => HouseholdColumn(db) switch
    {
        "household_size" => "SELECT py.fin_year, py.person_id, p.household_size = 1 AS lives_alone FROM population_year py JOIN person p USING (person_id)",
        "household_id" => """
            SELECT py.fin_year, py.person_id, count(*) OVER (PARTITION BY py.fin_year, p.household_id) = 1 AS lives_alone
            FROM population_year py JOIN person p USING (person_id) JOIN years y USING (fin_year)
            WHERE p.household_id IS NOT NULL AND (p.date_of_death IS NULL OR p.date_of_death >= y.year_start)
            """,
        _ => "SELECT CAST(NULL AS INTEGER) AS fin_year, CAST(NULL AS BIGINT) AS person_id, CAST(NULL AS BOOLEAN) AS lives_alone WHERE false",
    };
}
