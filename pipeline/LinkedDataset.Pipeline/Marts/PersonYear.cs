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
    /// <remarks>Written <c>sum(CASE WHEN … THEN x END)</c> rather than <c>sum(x) FILTER (…)</c>: the same values (null when no row
    /// matches), but DuckDB updates 32 filtered aggregates by slicing every chunk 32 times, slower at scale. Costs are summed with
    /// <c>fsum</c> (compensated): a plain double sum depends on the order rows reach the aggregate, which varies with threads and
    /// files, so a rebuild could differ in the last bits; the compensated sum of a person's few rows is the same in any order. For the
    /// same reason <c>person_year</c> sums every non-count column of <c>person_month</c> (costs and weeks) as exact decimals (9
    /// places): a year's twelve month files are read in parallel, and a decimal sum is the same in any order. (An ordered
    /// aggregate, <c>sum(x ORDER BY month)</c>, did the same but buffered every row of the year: out of memory at 1.8 million people.)</remarks>
    public static readonly IReadOnlyList<(string Column, string Aggregate)> Measures =
    [
        ("emergency_admissions", "sum(CASE WHEN setting = 'apc_emergency' THEN starts END)"),
        ("emergency_bed_days", "sum(CASE WHEN setting = 'apc_emergency' THEN bed_days END)"),
        ("elective_admissions", "sum(CASE WHEN setting = 'apc_elective' THEN starts END)"),
        ("day_cases", "sum(CASE WHEN setting = 'apc_day_case' THEN starts END)"),
        ("other_admissions", "sum(CASE WHEN setting = 'apc_other' THEN starts END)"),
        ("ae_attendances", "sum(CASE WHEN setting = 'ae' THEN starts END)"),
        ("ambulance_incidents", "sum(CASE WHEN setting = 'ambulance' THEN starts END)"),
        ("outpatient_attendances", "sum(CASE WHEN setting = 'op' THEN starts END)"),
        ("gp_appointments", "sum(CASE WHEN setting = 'gp' THEN starts END)"),
        ("community_contacts", "sum(CASE WHEN setting = 'community' THEN starts END)"),
        ("mental_health_contacts", "sum(CASE WHEN setting = 'mental_health' THEN starts END)"),
        ("sc_weeks_residential", "sum(CASE WHEN service_kind = 'residential' THEN days END) / 7.0"),
        ("sc_weeks_nursing", "sum(CASE WHEN service_kind = 'nursing' THEN days END) / 7.0"),
        ("sc_weeks_home_care", "sum(CASE WHEN service_kind = 'home_care' THEN days END) / 7.0"),
        ("sc_weeks_reablement", "sum(CASE WHEN service_kind = 'reablement' THEN days END) / 7.0"),
        ("sc_weeks_direct_payment", "sum(CASE WHEN service_kind = 'direct_payment' THEN days END) / 7.0"),
        ("sc_weeks_other", "sum(CASE WHEN service_kind = 'other' THEN days END) / 7.0"),
        ("telecare_weeks", "sum(CASE WHEN setting = 'telecare' THEN days END) / 7.0"),
        ("telecare_calls", "sum(CASE WHEN setting = 'telecare_call' THEN starts END)"),
        ("telecare_conveyances", "sum(CASE WHEN item = 'telecare_call_conveyed' THEN starts END)"),
        ("cost_apc_emergency", "fsum(CASE WHEN setting = 'apc_emergency' THEN cost END)"),
        ("cost_apc_elective", "fsum(CASE WHEN setting IN ('apc_elective', 'apc_day_case') THEN cost END)"),
        ("cost_apc_other", "fsum(CASE WHEN setting = 'apc_other' THEN cost END)"),
        ("cost_ae", "fsum(CASE WHEN setting = 'ae' THEN cost END)"),
        ("cost_ambulance", "fsum(CASE WHEN setting = 'ambulance' THEN cost END)"),
        ("cost_op", "fsum(CASE WHEN setting = 'op' THEN cost END)"),
        ("cost_gp", "fsum(CASE WHEN setting = 'gp' THEN cost END)"),
        ("cost_community", "fsum(CASE WHEN setting = 'community' THEN cost END)"),
        ("cost_mental_health", "fsum(CASE WHEN setting = 'mental_health' THEN cost END)"),
        ("cost_social_care", "fsum(CASE WHEN setting = 'social_care' THEN cost END)"),
        ("cost_telecare", "fsum(CASE WHEN setting IN ('telecare', 'telecare_call') THEN cost END)"),
        ("total_cost", "fsum(cost)"),
    ];

    private static bool IsCount(string column) => !column.StartsWith("cost_", StringComparison.Ordinal) && column != "total_cost"
        && !column.StartsWith("sc_weeks", StringComparison.Ordinal) && column != "telecare_weeks";

    /// <summary>Creates <c>person_month</c> from <c>cost_month</c>, then <c>person_year</c> from <c>segment_year</c> and it, in DuckDB.</summary>
    public static void Build(DuckDBConnection db, MartWindow window) => Build(new MartSink(db, null), window);

    /// <summary>
    /// Creates <c>person_month</c> one month at a time (the aggregate of 32 measures holds one month's people, not every
    /// person-month), through <paramref name="sink"/>; then <c>person_year</c>, a DuckDB table (the risk scorer updates it),
    /// one financial year at a time, in order of year and person.
    /// </summary>
    internal static void Build(MartSink sink, MartWindow window)
    {
        string Typed(string column, string aggregate) =>
            IsCount(column) ? $"CAST(coalesce({aggregate}, 0) AS INTEGER) AS {column}" : $"CAST(coalesce({aggregate}, 0) AS DOUBLE) AS {column}";
        var monthly = string.Join(",\n  ", Measures.Select(m => Typed(m.Column, m.Aggregate)));
        var yearly = string.Join(",\n  ", Measures.Select(m => Typed(m.Column, IsCount(m.Column) ? $"sum(m.{m.Column})" : $"sum(CAST(m.{m.Column} AS DECIMAL(38, 9)))")));
        var zeros = string.Join(", ", Measures.Select(m => $"coalesce(t.{m.Column}, 0) AS {m.Column}"));
        var months = new List<DateOnly>();
        for (var m = new DateOnly(window.Start.Year, window.Start.Month, 1); m <= window.End; m = m.AddMonths(1))
        {
            months.Add(m);
        }

        string MonthSource(DateOnly month) => sink.Folder is null
            ? $"(SELECT * FROM cost_month WHERE month = {MartWindow.DateSql(month)})"
            : Directory.Exists(Path.Combine(sink.Folder, "cost_month", "part=" + MartSink.MonthPart(month)))
                ? $"read_parquet({Sql.Path(Path.Combine(sink.Folder, "cost_month", "part=" + MartSink.MonthPart(month), "*.parquet"))})"
                : "(SELECT * FROM cost_month_empty)";
        string PersonMonth(DateOnly month) => $"""
            SELECT person_id, month, CAST({FinancialYear.Of(month)} AS INTEGER) AS fin_year,
              {monthly}
            FROM {MonthSource(month)}
            GROUP BY person_id, month
            ORDER BY person_id
            """;
        if (sink.Folder is not null)
        {
            // A month without activity has no partition folder: an empty source of the same columns.
            DuckDb.Execute(sink.Db, """
                CREATE OR REPLACE TEMP TABLE cost_month_empty (person_id BIGINT, month DATE, setting VARCHAR, item VARCHAR, service_kind VARCHAR,
                  starts INTEGER, days INTEGER, bed_days INTEGER, cost DOUBLE)
                """);
        }

        sink.CreateByPart(
            "person_month", "person_month", months.Select(MartSink.MonthPart).ToList(),
            part => PersonMonth(months.Single(m => MartSink.MonthPart(m) == part)),
            PersonMonth(window.Start).Replace("ORDER BY person_id", "", StringComparison.Ordinal));
        sink.DeleteScratch("cost_month");

        var firstYear = true;
        foreach (var year in window.FinancialYears)
        {
            var yearMonths = months.Where(m => FinancialYear.Of(m) == year).ToList();
            var source = sink.Folder is null
                ? $"(SELECT * FROM person_month WHERE fin_year = {year})"
                : $"read_parquet([{string.Join(", ", yearMonths.Select(m => Sql.Path(Path.Combine(sink.Folder, "person_month", MartSink.MonthPart(m) + ".parquet"))))}])";
            var select = $"""
                WITH totals AS (
                  SELECT m.person_id, m.fin_year,
                    {yearly}
                  FROM {source} m GROUP BY m.person_id, m.fin_year
                )
                SELECT s.*, {zeros},
                       coalesce(s.date_of_death >= s.year_start AND s.date_of_death < s.year_end_excl, false) AS died_in_year,
                       CAST(NULL AS DOUBLE) AS risk_emergency_admission_next_year
                FROM segment_year s LEFT JOIN totals t USING (person_id, fin_year)
                WHERE s.fin_year = {year}
                ORDER BY s.person_id
                """;
            sink.Run("person_year", firstYear ? $"CREATE OR REPLACE TABLE person_year AS {select}" : $"INSERT INTO person_year {select}");
            firstYear = false;
        }
    }
}
