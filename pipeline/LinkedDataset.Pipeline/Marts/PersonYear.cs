using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Marts;

/// <summary>
/// <c>person_month</c> (one row per person per month with any costed activity) and the measures it
/// sums: counts and costs by setting. <c>person_year</c> adds the segments (<see cref="Segments"/>).
/// </summary>
public static class PersonYear
{
    /// <summary>Count and cost columns of <c>person_month</c> and <c>person_year</c>: name and SQL aggregate over <c>cost_month</c>.</summary>
    public static readonly IReadOnlyList<(string Column, string Aggregate)> Measures =
    [
        ("emergency_admissions", "sum(starts) FILTER (setting = 'apc_emergency')"),
        ("emergency_bed_days", "sum(bed_days) FILTER (setting = 'apc_emergency')"),
        ("elective_admissions", "sum(starts) FILTER (setting = 'apc_elective')"),
        ("day_cases", "sum(starts) FILTER (setting = 'apc_day_case')"),
        ("other_admissions", "sum(starts) FILTER (setting = 'apc_other')"),
        ("ae_attendances", "sum(starts) FILTER (setting = 'ae')"),
        ("ambulance_incidents", "sum(starts) FILTER (setting = 'ambulance')"),
        ("outpatient_attendances", "sum(starts) FILTER (setting = 'op')"),
        ("gp_appointments", "sum(starts) FILTER (setting = 'gp')"),
        ("community_contacts", "sum(starts) FILTER (setting = 'community')"),
        ("mental_health_contacts", "sum(starts) FILTER (setting = 'mental_health')"),
        ("sc_weeks_residential", "sum(days) FILTER (service_kind = 'residential') / 7.0"),
        ("sc_weeks_nursing", "sum(days) FILTER (service_kind = 'nursing') / 7.0"),
        ("sc_weeks_home_care", "sum(days) FILTER (service_kind = 'home_care') / 7.0"),
        ("sc_weeks_reablement", "sum(days) FILTER (service_kind = 'reablement') / 7.0"),
        ("sc_weeks_direct_payment", "sum(days) FILTER (service_kind = 'direct_payment') / 7.0"),
        ("sc_weeks_other", "sum(days) FILTER (service_kind = 'other') / 7.0"),
        ("telecare_weeks", "sum(days) FILTER (setting = 'telecare') / 7.0"),
        ("telecare_calls", "sum(starts) FILTER (setting = 'telecare_call')"),
        ("telecare_conveyances", "sum(starts) FILTER (item = 'telecare_call_conveyed')"),
        ("cost_apc_emergency", "sum(cost) FILTER (setting = 'apc_emergency')"),
        ("cost_apc_elective", "sum(cost) FILTER (setting IN ('apc_elective', 'apc_day_case'))"),
        ("cost_apc_other", "sum(cost) FILTER (setting = 'apc_other')"),
        ("cost_ae", "sum(cost) FILTER (setting = 'ae')"),
        ("cost_ambulance", "sum(cost) FILTER (setting = 'ambulance')"),
        ("cost_op", "sum(cost) FILTER (setting = 'op')"),
        ("cost_gp", "sum(cost) FILTER (setting = 'gp')"),
        ("cost_community", "sum(cost) FILTER (setting = 'community')"),
        ("cost_mental_health", "sum(cost) FILTER (setting = 'mental_health')"),
        ("cost_social_care", "sum(cost) FILTER (setting = 'social_care')"),
        ("cost_telecare", "sum(cost) FILTER (setting IN ('telecare', 'telecare_call'))"),
        ("total_cost", "sum(cost)"),
    ];

    private static bool IsCount(string column) => !column.StartsWith("cost_", StringComparison.Ordinal) && column != "total_cost"
        && !column.StartsWith("sc_weeks", StringComparison.Ordinal) && column != "telecare_weeks";

    /// <summary>Creates <c>person_month</c> from <c>cost_month</c>, then <c>person_year</c> from <c>segment_year</c> and it.</summary>
    public static void Build(DuckDBConnection db)
    {
        string Typed(string column, string aggregate) =>
            IsCount(column) ? $"CAST(coalesce({aggregate}, 0) AS INTEGER) AS {column}" : $"CAST(coalesce({aggregate}, 0) AS DOUBLE) AS {column}";
        var monthly = string.Join(",\n  ", Measures.Select(m => Typed(m.Column, m.Aggregate)));
        var yearly = string.Join(",\n  ", Measures.Select(m => Typed(m.Column, $"sum(m.{m.Column})")));
        var zeros = string.Join(", ", Measures.Select(m => $"coalesce(t.{m.Column}, 0) AS {m.Column}"));
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE person_month AS
            SELECT person_id, month,
              CAST(CASE WHEN month(month) >= 4 THEN year(month) ELSE year(month) - 1 END AS INTEGER) AS fin_year,
              {monthly}
            FROM cost_month
            GROUP BY person_id, month
            ORDER BY person_id, month;

            CREATE OR REPLACE TABLE person_year AS
            WITH totals AS (
              SELECT m.person_id, m.fin_year,
                {yearly}
              FROM person_month m GROUP BY m.person_id, m.fin_year
            )
            SELECT s.*, {zeros},
                   coalesce(s.date_of_death >= s.year_start AND s.date_of_death < s.year_end_excl, false) AS died_in_year,
                   CAST(NULL AS DOUBLE) AS risk_emergency_admission_next_year
            FROM segment_year s LEFT JOIN totals t USING (person_id, fin_year)
            ORDER BY s.fin_year, s.person_id;
            """);
    }
}
