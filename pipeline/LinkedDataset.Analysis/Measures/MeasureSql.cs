using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Measures;

/// <summary>
/// The one statement that computes a measure over every interval at once: the intervals are generated as a
/// table and joined to registrations and events (not a query per interval, the ehrQL Measures complaint).
/// Creates <c>ms_rows</c>: one row per interval × person at risk with group values, 5-year age group
/// (ESP 2013), age-sex band, numerator and denominator (1 person, or person-years at risk).
/// </summary>
public static class MeasureSql
{
    /// <summary>The SQL creating <c>ms_rows</c> for <paramref name="m"/> between <paramref name="first"/> and <paramref name="last"/> (interval starts).</summary>
    public static string Rows(MeasureDefinition m, DateOnly first, DateOnly last)
    {
        var step = m.Unit switch { "month" => "INTERVAL 1 MONTH", "quarter" => "INTERVAL 3 MONTH", _ => "INTERVAL 12 MONTH" };
        var label = m.Unit switch
        {
            "month" => "strftime(i.start_date, '%Y-%m')",
            "quarter" => "CAST(year(i.start_date) AS VARCHAR) || '-Q' || CAST(quarter(i.start_date) AS VARCHAR)",
            _ => "CAST(year(i.start_date) AS VARCHAR) || '/' || lpad(CAST((year(i.start_date) + 1) % 100 AS VARCHAR), 2, '0')",
        };
        var pop = m.Population;
        var personFilter = new List<string>();
        if (pop.Sex.Count > 0)
        {
            personFilter.Add($"{VariableSpec.Builtins["sex"]} IN ({string.Join(", ", pop.Sex.Select(Sql.Literal))})");
        }

        if (pop.Districts.Count > 0)
        {
            personFilter.Add($"p.district IN ({string.Join(", ", pop.Districts.Select(CriterionSql.Text))})");
        }

        if (pop.Lsoas.Count > 0)
        {
            personFilter.Add($"p.lsoa11cd IN ({string.Join(", ", pop.Lsoas.Select(CriterionSql.Text))})");
        }

        if (pop.ImdQuintiles.Count > 0)
        {
            personFilter.Add($"p.imd_quintile IN ({string.Join(", ", pop.ImdQuintiles)})");
        }

        var riskFilter = new List<string>();
        if (pop.AgeMin is { } min)
        {
            riskFilter.Add($"age >= {min}");
        }

        if (pop.AgeMax is { } max)
        {
            riskFilter.Add($"age <= {max}");
        }

        if (pop.Practices.Count > 0)
        {
            riskFilter.Add($"practice_code IN ({string.Join(", ", pop.Practices.Select(CriterionSql.Text))})");
        }

        var where = personFilter.Count > 0 ? "WHERE " + string.Join(" AND ", personFilter) : "";
        var riskWhere = riskFilter.Count > 0 ? "WHERE " + string.Join(" AND ", riskFilter) : "";
        var personTime = m.Kind == NumeratorKind.PersonTime;
        var bands = string.Join(" ", Segments.AgeBands.Reverse().Select(b => $"WHEN age >= {b.From} THEN '{b.Label}'"));
        var groups = string.Concat(m.GroupBy.Select((g, i) => $", {MeasureDefinition.Groups[g]} AS g{i + 1}"));
        return $"""
            CREATE OR REPLACE TEMP TABLE ms_intervals AS
            SELECT CAST(row_number() OVER (ORDER BY s) AS INTEGER) AS interval_id, CAST(s AS DATE) AS start_date,
                   CAST(s + {step} - INTERVAL 1 DAY AS DATE) AS end_date
            FROM generate_series(TIMESTAMP '{first:yyyy-MM-dd}', TIMESTAMP '{last:yyyy-MM-dd}', {step}) g(s);

            CREATE OR REPLACE TEMP TABLE ms_rows AS
            WITH spans AS (
              SELECT r.person_id, r.practice_code, r.registration_start_date AS s,
                     least(coalesce(r.registration_end_date, DATE '9999-12-31'), coalesce(p.date_of_death, DATE '9999-12-31')) AS e
              FROM registration r JOIN person p USING (person_id) {where}
            ), at_risk AS (
              SELECT i.interval_id, i.start_date, i.end_date, sp.person_id,
                     arg_max(sp.practice_code, sp.s) AS practice_code,
                     bool_or(sp.s <= i.start_date AND sp.e >= i.start_date) AS on_first_day,
                     sum(datediff('day', greatest(sp.s, i.start_date), least(sp.e, i.end_date)) + 1) AS days
              FROM ms_intervals i JOIN spans sp ON sp.s <= i.end_date AND sp.e >= i.start_date
              GROUP BY i.interval_id, i.start_date, i.end_date, sp.person_id
            ), aged AS (
              SELECT a.*, ((year(a.start_date) * 12 + month(a.start_date)) - (CAST(left(p.birth_month, 4) AS INTEGER) * 12 + CAST(right(p.birth_month, 2) AS INTEGER))) // 12 AS age
              FROM at_risk a JOIN person p USING (person_id)
              WHERE p.birth_month IS NOT NULL {(personTime ? "" : "AND a.on_first_day")}
            ), r AS (
              SELECT *, CASE {bands} END AS age_band, least(age // 5, 18) AS esp_group FROM aged {riskWhere}
            ), ev AS (
              SELECT i.interval_id, e.person_id, count(*) AS n
              FROM ({CriterionSql.Events(m.Source)}) e
              JOIN ms_intervals i ON e.event_date BETWEEN i.start_date AND i.end_date
              {(personTime ? "SEMI JOIN spans sp ON sp.person_id = e.person_id AND e.event_date BETWEEN sp.s AND sp.e" : "")}
              GROUP BY i.interval_id, e.person_id
            )
            SELECT r.interval_id, {label.Replace("i.start_date", "r.start_date", StringComparison.Ordinal)} AS interval_label, r.start_date, r.person_id,
                   r.practice_code, CASE p.sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'other' END AS sex_group, r.esp_group{groups},
                   CAST({m.Kind switch { NumeratorKind.People => "CASE WHEN coalesce(ev.n, 0) > 0 THEN 1 ELSE 0 END", _ => "coalesce(ev.n, 0)" }} AS BIGINT) AS numerator,
                   CAST({(personTime ? "r.days / 365.25" : "1")} AS DOUBLE) AS denominator
            FROM r JOIN person p USING (person_id) LEFT JOIN ev USING (interval_id, person_id);
            """;
    }
}
