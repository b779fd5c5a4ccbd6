using System.Globalization;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Marts;

/// <summary>
/// The months a mart covers: <see cref="Start"/> (a first of month) to <see cref="End"/> (a last of
/// month), inclusive. Open episodes (a spell still in hospital, a service with no end date) are
/// costed up to <see cref="End"/> or the person's death.
/// </summary>
public sealed record MartWindow(DateOnly Start, DateOnly End)
{
    /// <summary>The day after <see cref="End"/>, as a DuckDB DATE literal.</summary>
    internal string EndExclusiveSql => DateSql(End.AddDays(1));

    internal string StartSql => DateSql(Start);

    internal static string DateSql(DateOnly d) => "DATE '" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";

    /// <summary>NHS financial years (by starting calendar year) that overlap the window.</summary>
    public IReadOnlyList<int> FinancialYears
    {
        get
        {
            var first = FinancialYear.Of(Start);
            var last = FinancialYear.Of(End);
            return Enumerable.Range(first, last - first + 1).ToList();
        }
    }
}

/// <summary>NHS financial years, 1 April to 31 March, named by the calendar year they start in.</summary>
public static class FinancialYear
{
    public static int Of(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    public static DateOnly Start(int year) => new(year, 4, 1);

    public static DateOnly End(int year) => new(year + 1, 3, 31);

    /// <summary>"2024/25".</summary>
    public static string Label(int year) => $"{year}/{(year + 1) % 100:D2}";
}

/// <summary>
/// Costed activity: every contact or episode of a linked person gets a cost and a cost basis, in
/// table <c>costed_activity</c>, and its cost is spread per day over the months it spans, in
/// <c>cost_month</c>. Reads the snapshot views (<c>person</c>, <c>apc</c>, <c>ae</c>, ...) and
/// <c>ref_unit_cost</c> (<see cref="MartReference.LoadInto"/>).
/// </summary>
/// <remarks>
/// <para><b>Rules</b> (unit cost items are rows of <c>unit_costs.csv</c>):</para>
/// <list type="bullet">
/// <item>APC: the spell's own <c>spell_tariff</c> when given (basis <c>feed:spell_tariff</c>), else by type: emergency
/// (admission method 2x) short stay (0–1 days) / long stay (2+) / still in hospital (all-stay average); elective 1x with
/// patient classification 2, 3 or 4 = day case, else elective; maternity 3x and other 8x = assumption. A spell is costed
/// per day over its nights (admission to discharge, still-open spells to the window end or death), so a spell crossing a
/// month or year end is split by nights; a same-day spell is one day. Bed days are nights.</item>
/// <item>A&amp;E: an attendance; plus an ambulance incident (setting <c>ambulance</c>) when the arrival mode is one of the
/// four ambulance codes.</item>
/// <item>Outpatients: attended (5, 6) appointments, not RTT admin events (first_attendance 5); non-consultant-led when
/// main specialty is 560, 950 or 960.</item>
/// <item>Community and mental health: attended contacts (5, 6, or not recorded).</item>
/// <item>GP: attended appointments; other practice staff at the practice staff rate, GP or unknown at the GP rate. Coded
/// events are not contacts and are not costed.</item>
/// <item>Social care services: per day from start to end (end date exclusive; open services to the window end or death) at
/// a weekly cost of <c>planned_units_per_week × unit_cost</c> from the feed (basis <c>feed:unit_cost</c>) or, when the
/// feed has none, the unit cost of the service kind (home care: hourly cost × planned hours, 10 assumed). One-off
/// services are costed once. Requests, assessments and reviews are not costed.</item>
/// <item>Telecare: a package runs from an installation to the next removal (open: window end or death); installations
/// before one removal are one package; costed per day at the weekly charge. Alarm calls cost 0 (in the charge), except an
/// ambulance requested but not conveyed (an ambulance incident; conveyed calls are costed on the A&amp;E arrival).</item>
/// </list>
/// </remarks>
public static class Costing
{
    /// <summary>Ambulance arrival modes in ECDS.</summary>
    public static readonly IReadOnlyList<string> AmbulanceArrivalModes =
        ["1048031000000100", "1048041000000109", "1048021000000102", "1048051000000107"];

    /// <summary>Creates <c>sc_service</c>, <c>tc_package</c>, <c>costed_activity</c> and <c>cost_month</c> in DuckDB.</summary>
    public static void Build(DuckDBConnection db, MartWindow window, string unitCostVersion) => Build(new MartSink(db, null), window, unitCostVersion);

    /// <summary>
    /// Creates <c>sc_service</c> and <c>tc_package</c> (small, in DuckDB), then <c>costed_activity</c> and <c>cost_month</c> through
    /// <paramref name="sink"/>: with a folder, <c>costed_activity</c> is written straight to Parquet and <c>cost_month</c> to one
    /// scratch Parquet file per month, so neither is held in memory.
    /// </summary>
    internal static void Build(MartSink sink, MartWindow window, string unitCostVersion)
    {
        var endExcl = window.EndExclusiveSql;
        var ambulance = string.Join(", ", AmbulanceArrivalModes.Select(Sql.Literal));
        sink.Run("costing: social care and telecare episodes", $"""
            CREATE OR REPLACE TABLE sc_service AS
            WITH s AS (
              SELECT s.person_id, s.provider_code || ':' || s.event_reference AS source_id, s.event_start_date AS start_date,
                     greatest(coalesce(s.event_end_date, least({endExcl}, p.date_of_death)), s.event_start_date + 1) AS end_excl,
                     CASE WHEN s.service_component IN ('Long Term Residential Care', 'Short Term Residential Care') OR s.service_type = 'Long Term Support: Residential Care' THEN 'residential'
                          WHEN s.service_component IN ('Long Term Nursing Care', 'Short Term Nursing Care') OR s.service_type = 'Long Term Support: Nursing Care' THEN 'nursing'
                          WHEN s.service_component = 'Reablement' OR s.service_type = 'Short Term Support: ST-Max' THEN 'reablement'
                          WHEN s.service_component = 'Direct Payment' OR s.delivery_mechanism = 'Direct Payment' THEN 'direct_payment'
                          WHEN s.service_component = 'Home Support' THEN 'home_care'
                          ELSE 'other' END AS kind,
                     coalesce(s.service_type LIKE 'Long Term Support%', false) AS long_term,
                     CAST(s.planned_units_per_week AS DOUBLE) AS units, CAST(s.unit_cost AS DOUBLE) AS unit_cost,
                     coalesce(s.cost_frequency_unit_type = 'One-off', false) AS one_off
              FROM social_care s LEFT JOIN person p USING (person_id)
              WHERE s.person_id IS NOT NULL AND s.event_type = 'Service'
            )
            SELECT s.*,
                   CASE WHEN s.unit_cost IS NOT NULL AND (s.units IS NOT NULL OR s.one_off) THEN s.unit_cost * coalesce(s.units, 1)
                        WHEN s.kind = 'home_care' THEN u.cost * coalesce(s.units, 10)
                        ELSE u.cost END AS weekly_cost,
                   CASE WHEN s.unit_cost IS NOT NULL AND (s.units IS NOT NULL OR s.one_off) THEN 'feed:unit_cost' ELSE u.basis END AS cost_basis
            FROM s JOIN ref_unit_cost u ON u.item = CASE s.kind WHEN 'residential' THEN 'residential_care_week' WHEN 'nursing' THEN 'nursing_care_week'
                 WHEN 'reablement' THEN 'reablement_week' WHEN 'direct_payment' THEN 'direct_payment_week' WHEN 'home_care' THEN 'home_care_hour'
                 ELSE 'other_social_care_week' END;

            CREATE OR REPLACE TABLE tc_package AS
            WITH i AS (SELECT person_id, event_date FROM telecare WHERE event_type = 'INSTALL' AND person_id IS NOT NULL),
                 r AS (SELECT person_id, event_date AS removed FROM telecare WHERE event_type = 'REMOVE' AND person_id IS NOT NULL),
                 e AS (SELECT i.person_id, i.event_date, r.removed FROM i ASOF LEFT JOIN r ON i.person_id = r.person_id AND r.removed >= i.event_date)
            SELECT e.person_id, min(e.event_date) AS start_date,
                   greatest(coalesce(e.removed, least({endExcl}, any_value(p.date_of_death))), min(e.event_date) + 1) AS end_excl
            FROM e LEFT JOIN person p USING (person_id)
            GROUP BY e.person_id, e.removed;
            """);
        // The price year is one value: a literal, not a subquery per row.
        var priceYear = DuckDb.Scalar<string>(sink.Db, "SELECT any_value(price_year) FROM ref_unit_cost");
        sink.Create("costing: costed_activity", "costed_activity", $"""
            WITH apc_typed AS (
              SELECT a.person_id, a.provider_code || ':' || a.apcs_ident AS source_id, a.admission_date, a.discharge_date,
                     CAST(a.spell_tariff AS DOUBLE) AS tariff,
                     CASE WHEN a.admission_method LIKE '2%' THEN 'apc_emergency'
                          WHEN a.admission_method LIKE '1%' AND a.patient_classification IN ('2', '3', '4') THEN 'apc_day_case'
                          WHEN a.admission_method LIKE '1%' THEN 'apc_elective'
                          ELSE 'apc_other' END AS setting,
                     CAST(greatest(datediff('day', a.admission_date, coalesce(a.discharge_date, least({endExcl}, p.date_of_death))), 0) AS INTEGER) AS nights,
                     coalesce(a.length_of_stay, datediff('day', a.admission_date, a.discharge_date)) AS los
              FROM apc a LEFT JOIN person p USING (person_id)
              WHERE a.person_id IS NOT NULL
            ), apc_items AS (
              SELECT *, CASE setting
                          WHEN 'apc_emergency' THEN CASE WHEN discharge_date IS NULL THEN 'nel_admission_all' WHEN los <= 1 THEN 'nel_admission_short_stay' ELSE 'nel_admission_long_stay' END
                          WHEN 'apc_day_case' THEN 'day_case' WHEN 'apc_elective' THEN 'elective_admission' ELSE 'maternity_other_admission' END AS item
              FROM apc_typed
            ), rows AS (
              SELECT person_id, setting, item, source_id, admission_date AS start_date, greatest(nights, 1) AS days, nights AS bed_days,
                     coalesce(tariff, u.cost) AS cost, CASE WHEN tariff IS NOT NULL THEN 'feed:spell_tariff' ELSE u.basis END AS cost_basis,
                     CAST(NULL AS VARCHAR) AS service_kind
              FROM apc_items JOIN ref_unit_cost u USING (item)
              UNION ALL
              SELECT person_id, 'ae', 'ae_attendance', provider_code || ':' || ec_ident, arrival_date, 1, 0, u.cost, u.basis, NULL
              FROM ae JOIN ref_unit_cost u ON u.item = 'ae_attendance' WHERE person_id IS NOT NULL
              UNION ALL
              SELECT person_id, 'ambulance', 'ambulance_incident', provider_code || ':' || ec_ident, arrival_date, 1, 0, u.cost, u.basis, NULL
              FROM ae JOIN ref_unit_cost u ON u.item = 'ambulance_incident' WHERE person_id IS NOT NULL AND ec_arrival_mode_snomed_ct IN ({ambulance})
              UNION ALL
              SELECT person_id, 'op', u.item, provider_code || ':' || opa_ident, appointment_date, 1, 0, u.cost, u.basis, NULL
              FROM op JOIN ref_unit_cost u
                ON u.item = CASE WHEN main_specialty_code IN ('560', '950', '960') THEN 'outpatient_non_consultant_led' ELSE 'outpatient_consultant_led' END
              WHERE person_id IS NOT NULL AND attendance_status IN ('5', '6') AND first_attendance IS DISTINCT FROM '5'
              UNION ALL
              SELECT person_id, 'community', u.item, provider_code || ':' || care_contact_id, contact_date, 1, 0, u.cost, u.basis, NULL
              FROM community JOIN ref_unit_cost u ON u.item = 'community_health_contact'
              WHERE person_id IS NOT NULL AND coalesce(attendance_status, '5') IN ('5', '6')
              UNION ALL
              SELECT person_id, 'mental_health', u.item, provider_code || ':' || uniq_care_cont_id, care_cont_date, 1, 0, u.cost, u.basis, NULL
              FROM mental_health JOIN ref_unit_cost u ON u.item = 'mental_health_contact'
              WHERE person_id IS NOT NULL AND coalesce(attend_or_dna_code, '5') IN ('5', '6')
              UNION ALL
              SELECT person_id, 'gp', u.item, provider_code || ':' || event_id, event_date, 1, 0, u.cost, u.basis, NULL
              FROM gp_event JOIN ref_unit_cost u
                ON u.item = CASE WHEN hcp_type = 'Other Practice staff' THEN 'practice_staff_appointment' ELSE 'gp_consultation' END
              WHERE person_id IS NOT NULL AND event_type = 'A' AND appt_status = 'Attended'
              UNION ALL
              SELECT person_id, 'social_care', 'social_care_' || kind, source_id, start_date,
                     CASE WHEN one_off THEN 1 ELSE CAST(datediff('day', start_date, end_excl) AS INTEGER) END, 0,
                     CASE WHEN one_off THEN weekly_cost ELSE weekly_cost / 7 * datediff('day', start_date, end_excl) END, cost_basis, kind
              FROM sc_service
              UNION ALL
              SELECT t.person_id, 'telecare', 'telecare_week', 'package:' || CAST(t.start_date AS VARCHAR), t.start_date,
                     CAST(datediff('day', t.start_date, t.end_excl) AS INTEGER), 0, u.cost / 7 * datediff('day', t.start_date, t.end_excl), u.basis, NULL
              FROM tc_package t JOIN ref_unit_cost u ON u.item = 'telecare_week'
              UNION ALL
              SELECT person_id, 'telecare_call', CASE WHEN coalesce(conveyed, false) THEN 'telecare_call_conveyed' ELSE 'telecare_call' END,
                     provider_code || ':' || tec_event_id, event_date, 1, 0, 0.0, 'included:telecare_week', NULL
              FROM telecare WHERE person_id IS NOT NULL AND event_type = 'CALL'
              UNION ALL
              SELECT person_id, 'ambulance', 'ambulance_incident', provider_code || ':' || tec_event_id, event_date, 1, 0, u.cost, u.basis, NULL
              FROM telecare JOIN ref_unit_cost u ON u.item = 'ambulance_incident'
              WHERE person_id IS NOT NULL AND event_type = 'CALL' AND coalesce(ambulance_requested, false) AND NOT coalesce(conveyed, false)
            )
            SELECT person_id, setting, item, source_id, start_date, CAST(start_date + days AS DATE) AS end_excl, days, bed_days,
                   CAST(cost AS DOUBLE) AS cost, CAST(cost AS DOUBLE) / days AS cost_per_day, cost_basis, service_kind,
                   CAST({(priceYear is null ? "NULL" : Sql.Literal(priceYear))} AS VARCHAR) AS price_year, {Sql.Literal(unitCostVersion)} AS unit_cost_version
            FROM rows
            """);
        BuildCostMonth(sink, window);
    }

    /// <summary>
    /// <c>cost_month(person_id, month, setting, item, service_kind, starts, days, bed_days, cost)</c>: each costed row's days
    /// that fall in each month of the window, with <c>starts</c> = 1 in the month the episode started (for counting).
    /// </summary>
    /// <remarks>
    /// With a folder the rows are written once, partitioned by month (<c>cost_month/part=yyyy-MM/</c>), in no particular
    /// order (they are summed, never published), so <see cref="PersonYear"/> aggregates one month at a time.
    /// </remarks>
    private static void BuildCostMonth(MartSink sink, MartWindow window)
    {
        var select = $"""
            WITH point AS (
              SELECT person_id, CAST(date_trunc('month', start_date) AS DATE) AS month, setting, item, service_kind,
                     1 AS starts, days, bed_days, cost
              FROM costed_activity
              WHERE date_trunc('month', start_date) = date_trunc('month', end_excl - 1)
                AND start_date >= {window.StartSql} AND start_date < {window.EndExclusiveSql}
            ), span AS (
              SELECT a.person_id, a.setting, a.item, a.service_kind, a.start_date, a.days, a.bed_days, a.cost_per_day,
                     greatest(a.start_date, {window.StartSql}) AS s, least(a.end_excl, {window.EndExclusiveSql}) AS e
              FROM costed_activity a
              WHERE date_trunc('month', a.start_date) <> date_trunc('month', a.end_excl - 1)
                AND a.end_excl > {window.StartSql} AND a.start_date < {window.EndExclusiveSql}
            ), exploded AS (
              SELECT span.*, CAST(m.month AS DATE) AS month
              FROM span, LATERAL (SELECT unnest(generate_series(date_trunc('month', span.s), date_trunc('month', span.e - 1), INTERVAL 1 MONTH)) AS month) m
            ), split AS (
              SELECT person_id, month, setting, item, service_kind,
                     CASE WHEN date_trunc('month', start_date) = month THEN 1 ELSE 0 END AS starts,
                     CAST(datediff('day', greatest(s, month), least(e, CAST(month + INTERVAL 1 MONTH AS DATE))) AS INTEGER) AS d,
                     bed_days, cost_per_day
              FROM exploded
            )
            SELECT person_id, month, setting, item, service_kind, starts, days, bed_days, cost FROM point
            UNION ALL
            SELECT person_id, month, setting, item, service_kind, starts, d, CASE WHEN bed_days > 0 THEN d ELSE 0 END, d * cost_per_day FROM split
            """;
        if (sink.Folder is null)
        {
            sink.Run("costing: cost_month", $"CREATE OR REPLACE TABLE cost_month AS {select}");
            return;
        }

        var directory = Path.Combine(sink.Folder, "cost_month");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        sink.Run("costing: cost_month", "SET preserve_insertion_order = false");
        sink.Run("costing: cost_month", $"""
            COPY (SELECT *, strftime(month, '%Y-%m') AS part FROM ({select}))
            TO {Sql.Path(directory)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (part))
            """);
        sink.Run("costing: cost_month", "RESET preserve_insertion_order");
    }
}
