using System.Text.RegularExpressions;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Measures;

/// <summary>
/// The statements that compute a measure over every interval at once: the intervals are generated as a
/// table and joined to registrations and events (not a query per interval, the ehrQL Measures complaint).
/// Creates <c>ms_rows</c>: one row per interval × practice × sex × 5-year age group (ESP 2013) × group values, with the
/// summed numerator and denominator (people on the first day, or person-years at risk); every consumer only sums them.
/// </summary>
/// <remarks>
/// Why not a row per person and interval: at 1.8 million people and 24 months that is 43 million rows to write and group.
/// Instead people with one registration overlapping the measure's window are first counted per class (practice, clipped
/// registration dates, birth month, sex, IMD quintile, district): most people share one of a few thousand classes, and
/// only classes are joined to the intervals. People with several registrations in the window keep the per-person path
/// (the practice of an interval is that of their latest registration, and their days add up over registrations), and the
/// numerator is attached per person and interval to the events' people only. Dates are clipped to the window, which
/// changes no overlap or day count because every interval lies inside it.
/// </remarks>
public static partial class MeasureSql
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

        var riskWhere = riskFilter.Count > 0 ? "WHERE " + string.Join(" AND ", riskFilter) : "";
        var personTime = m.Kind == NumeratorKind.PersonTime;
        var bands = string.Join(" ", Segments.AgeBands.Reverse().Select(b => $"WHEN age >= {b.From} THEN '{b.Label}'"));
        // The group expressions read the person (p.) and the at-risk row (r.); here both are columns of one row r.
        var groups = string.Concat(m.GroupBy.Select((g, i) => $", {PersonAlias().Replace(MeasureDefinition.Groups[g], "r.")} AS g{i + 1}"));
        var windowStart = $"DATE '{first:yyyy-MM-dd}'";
        var windowEnd = $"CAST(DATE '{last:yyyy-MM-dd}' + {step} - INTERVAL 1 DAY AS DATE)";
        // Patient-level and event-count measures count the people registered on an interval's first day.
        string OnFirstDay(string condition) => personTime ? "" : $"WHERE {condition}";
        return $"""
            CREATE OR REPLACE TEMP TABLE ms_intervals AS
            SELECT CAST(row_number() OVER (ORDER BY s) AS INTEGER) AS interval_id, CAST(s AS DATE) AS start_date,
                   CAST(s + {step} - INTERVAL 1 DAY AS DATE) AS end_date
            FROM generate_series(TIMESTAMP '{first:yyyy-MM-dd}', TIMESTAMP '{last:yyyy-MM-dd}', {step}) g(s);

            CREATE OR REPLACE TEMP TABLE ms_spans AS
            SELECT r.person_id, r.practice_code, r.registration_start_date AS s,
                   greatest(r.registration_start_date, {windowStart}) AS sc,
                   least(coalesce(r.registration_end_date, DATE '9999-12-31'), coalesce(p.date_of_death, DATE '9999-12-31'), {windowEnd}) AS ec,
                   count(*) OVER (PARTITION BY r.person_id) AS spans,
                   p.birth_month, p.sex, p.imd_quintile, p.district
            FROM registration r JOIN person p USING (person_id)
            WHERE r.registration_start_date <= {windowEnd}
              AND least(coalesce(r.registration_end_date, DATE '9999-12-31'), coalesce(p.date_of_death, DATE '9999-12-31')) >= {windowStart}
              AND p.birth_month IS NOT NULL{string.Concat(personFilter.Select(f => " AND " + f))};

            CREATE OR REPLACE TEMP TABLE ms_rows AS
            WITH classes AS (
              SELECT practice_code, sc, ec, birth_month, sex, imd_quintile, district, count(*) AS people
              FROM ms_spans WHERE spans = 1 GROUP BY ALL
            ), class_rows AS (
              SELECT i.interval_id, i.start_date, c.practice_code, c.birth_month, c.sex, c.imd_quintile, c.district, c.people,
                     (datediff('day', greatest(c.sc, i.start_date), least(c.ec, i.end_date)) + 1) * c.people AS days, 0 AS n
              FROM ms_intervals i JOIN classes c ON c.sc <= i.end_date AND c.ec >= i.start_date
              {OnFirstDay("c.sc <= i.start_date AND c.ec >= i.start_date")}
            ), person_rows AS (
              SELECT i.interval_id, i.start_date, sp.person_id, arg_max(sp.practice_code, sp.s) AS practice_code,
                     bool_or(sp.sc <= i.start_date AND sp.ec >= i.start_date) AS on_first_day,
                     sum(datediff('day', greatest(sp.sc, i.start_date), least(sp.ec, i.end_date)) + 1) AS days,
                     any_value(sp.birth_month) AS birth_month, any_value(sp.sex) AS sex, any_value(sp.imd_quintile) AS imd_quintile,
                     any_value(sp.district) AS district
              FROM ms_intervals i JOIN ms_spans sp ON sp.sc <= i.end_date AND sp.ec >= i.start_date
              WHERE sp.spans > 1
              GROUP BY i.interval_id, i.start_date, sp.person_id
            ), ev AS (
              SELECT i.interval_id, e.person_id, count(*) AS n
              FROM ({CriterionSql.Events(m.Source)}) e
              JOIN ms_intervals i ON e.event_date BETWEEN i.start_date AND i.end_date
              {(personTime ? "SEMI JOIN ms_spans sp ON sp.person_id = e.person_id AND e.event_date BETWEEN sp.s AND sp.ec" : "")}
              GROUP BY i.interval_id, e.person_id
            ), event_rows AS (
              SELECT ev.interval_id, i.start_date, ev.person_id, any_value(ev.n) AS n, arg_max(sp.practice_code, sp.s) AS practice_code,
                     bool_or(sp.sc <= i.start_date AND sp.ec >= i.start_date) AS on_first_day,
                     any_value(sp.birth_month) AS birth_month, any_value(sp.sex) AS sex, any_value(sp.imd_quintile) AS imd_quintile,
                     any_value(sp.district) AS district
              FROM ev JOIN ms_intervals i USING (interval_id) JOIN ms_spans sp ON sp.person_id = ev.person_id AND sp.sc <= i.end_date AND sp.ec >= i.start_date
              GROUP BY ev.interval_id, i.start_date, ev.person_id
            ), at_risk AS (
              SELECT interval_id, start_date, practice_code, birth_month, sex, imd_quintile, district, people, days, n FROM class_rows
              UNION ALL
              SELECT interval_id, start_date, practice_code, birth_month, sex, imd_quintile, district, 1, days, 0 FROM person_rows {OnFirstDay("on_first_day")}
              UNION ALL
              SELECT interval_id, start_date, practice_code, birth_month, sex, imd_quintile, district, 0, 0, {(m.Kind == NumeratorKind.People ? "1" : "n")} FROM event_rows {OnFirstDay("on_first_day")}
            ), aged AS (
              SELECT *, ((year(start_date) * 12 + month(start_date)) - (CAST(left(birth_month, 4) AS INTEGER) * 12 + CAST(right(birth_month, 2) AS INTEGER))) // 12 AS age
              FROM at_risk
            ), r AS (
              SELECT *, CASE {bands} END AS age_band, least(age // 5, 18) AS esp_group FROM aged {riskWhere}
            )
            SELECT r.interval_id, {label.Replace("i.start_date", "r.start_date", StringComparison.Ordinal)} AS interval_label, r.start_date,
                   r.practice_code, CASE r.sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'other' END AS sex_group, r.esp_group{groups},
                   CAST(sum(r.n) AS BIGINT) AS numerator,
                   CAST({(personTime ? "sum(r.days) / 365.25" : "sum(r.people)")} AS DOUBLE) AS denominator
            FROM r GROUP BY ALL;
            """;
    }

    [GeneratedRegex(@"\bp\.")]
    private static partial Regex PersonAlias();
}
