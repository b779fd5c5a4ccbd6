// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using System.Text.RegularExpressions;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>One attrition row before disclosure control: what remains after a step, and what meets its rule on its own.</summary>
/// <param name="Step">0 = the registered population; k = after the k-th rule.</param>
/// <param name="Rule">The rule's name (population filters are named <c>population: …</c>).</param>
/// <param name="Exclude">True for an exclusion rule.</param>
/// <param name="People">People with at least one entry left after this step.</param>
/// <param name="Events">Entries (candidate index events) left after this step.</param>
/// <param name="PeoplePassingAlone">People with an entry that passes this rule, ignoring the others.</param>
/// <param name="EventsPassingAlone">Entries that pass this rule, ignoring the others.</param>
public sealed record AttritionRow(int Step, string Rule, bool Exclude, long People, long Events, long PeoplePassingAlone, long EventsPassingAlone);

/// <summary>A built cohort (unprotected; held in the connection as <c>ch_cohort</c>, rule results in <c>ch_flags</c>).</summary>
/// <param name="Rules">Rule names in order, population filters first; <c>ch_flags.first_failed</c> = 1-based position of the first failed one, 0 = none.</param>
/// <param name="Attrition">One row per step.</param>
/// <param name="People">People in the cohort.</param>
/// <param name="Data">The data window dates were resolved against.</param>
public sealed record CohortBuild(IReadOnlyList<string> Rules, IReadOnlyList<AttritionRow> Attrition, long People, DataWindow Data);

/// <summary>
/// Builds a cohort in DuckDB from a <see cref="CohortDefinition"/>, on a connection that has the snapshot's
/// tables and marts under their names (a sandboxed snapshot, or a cohort test's throwaway dataset).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>Base</b> (<c>ch_base</c>): people with a registration overlapping the population's date or period and alive on its first day.</item>
/// <item><b>Entries</b> (<c>ch_entries</c>): one per base person at a fixed index date; or one per distinct date of an
/// index event in the period (candidate index events, each evaluated on its own).</item>
/// <item><b>Rules</b> (<c>ch_flags</c>): population filters (age at index, sex, area, practice), then the file's rules in order,
/// each true/false per entry, all in one statement; <c>first_failed</c> is the first rule an entry fails.</item>
/// <item><b>Attrition</b>: entries (by event) and distinct people (by person) left after each step, one query over all steps.</item>
/// <item><b>Cohort</b> (<c>ch_cohort</c>): per person the first (or, for <c>last:</c>, the last) entry that passes every rule, with
/// exit (earliest of follow-up end, registration end, death, data end) and the output variables.</item>
/// </list>
/// </remarks>
public static partial class CohortBuilder
{
    /// <summary>Builds the cohort; <paramref name="data"/> resolves anchored dates (data_start, data_end).</summary>
    public static CohortBuild Build(DuckDBConnection db, CohortDefinition definition, DataWindow data)
    {
        foreach (var codelist in definition.Codelists)
        {
            Codelists.LoadInto(db, codelist);
        }

        var rules = Rules(definition);
        var flags = Flags(rules);
        var cohort = Cohort(definition, data);
        DuckDb.Execute(db, BaseAndEntries(definition, data));
        if (RankTable().IsMatch(flags) || RankTable().IsMatch(cohort))
        {
            // Cost ranks over everyone's year, only for a definition that asks for a top-percent segment.
            DuckDb.Execute(db, """
                CREATE OR REPLACE TEMP TABLE ch_rank AS
                SELECT person_id, fin_year, cume_dist() OVER (PARTITION BY fin_year ORDER BY total_cost DESC) AS top_share FROM person_year;
                """);
        }

        DuckDb.Execute(db, flags);
        var attrition = Attrition(db, rules);
        DuckDb.Execute(db, cohort);
        var people = DuckDb.Scalar<long>(db, "SELECT count(*) FROM ch_cohort");
        return new CohortBuild(rules.Select(r => r.Name).ToList(), attrition, people, data);
    }

    /// <summary>A rule as SQL: its test over aliases <c>e</c>, <c>p</c>, <c>y</c>, <c>yp</c>, and the subquery it needs joined.</summary>
    private sealed record CompiledRule(string Name, bool Exclude, string Test, string? Join);

    private static List<CompiledRule> Rules(CohortDefinition d)
    {
        var rules = new List<CompiledRule>();
        var pop = d.Population;
        if (pop.AgeMin is not null || pop.AgeMax is not null)
        {
            var name = pop.AgeMax is null ? $"aged {pop.AgeMin} or over" : pop.AgeMin is null ? $"aged {pop.AgeMax} or under" : $"aged {pop.AgeMin} to {pop.AgeMax}";
            rules.Add(new("population: " + name + " at index", false,
                string.Join(" AND ", new[] { pop.AgeMin is { } min ? $"e.age >= {min}" : null, pop.AgeMax is { } max ? $"e.age <= {max}" : null }.OfType<string>()), null));
        }

        if (pop.Sex.Count > 0)
        {
            rules.Add(new("population: " + string.Join(" or ", pop.Sex), false, $"{VariableSpec.Builtins["sex"]} IN ({string.Join(", ", pop.Sex.Select(Sql.Literal))})", null));
        }

        void Area(string label, string column, IReadOnlyList<string> values)
        {
            if (values.Count > 0)
            {
                rules.Add(new($"population: {label} {string.Join(", ", values)}", false, $"{column} IN ({string.Join(", ", values.Select(CriterionSql.Text))})", null));
            }
        }

        Area("district", "p.district", pop.Districts);
        Area("LSOA", "p.lsoa11cd", pop.Lsoas);
        Area("practice", "e.practice_code", pop.Practices);
        if (pop.ImdQuintiles.Count > 0)
        {
            rules.Add(new("population: IMD quintile " + string.Join(", ", pop.ImdQuintiles), false, $"p.imd_quintile IN ({string.Join(", ", pop.ImdQuintiles)})", null));
        }

        foreach (var rule in d.Rules)
        {
            var k = rules.Count + 1;
            var c = rule.Criterion;
            if (c.Source is not null)
            {
                rules.Add(new(rule.Name, rule.Exclude, CriterionSql.CountTest($"c{k}.n", c), $"LEFT JOIN ({CriterionSql.EventCounts("ch_entries", c)}) c{k} ON c{k}.entry_id = e.entry_id"));
            }
            else if (c.Segment is { } s)
            {
                var (y, rank) = s.PreviousYear ? ("yp", "ypr") : ("y", "yr");
                rules.Add(new(rule.Name, rule.Exclude, CriterionSql.Segment(s, y, rank), null));
            }
            else
            {
                rules.Add(new(rule.Name, rule.Exclude, CriterionSql.Death(c, "p", "e.index_date"), null));
            }
        }

        return rules;
    }

    private static string AgeSql(string date) =>
        $"((year({date}) * 12 + month({date})) - (CAST(left(p.birth_month, 4) AS INTEGER) * 12 + CAST(right(p.birth_month, 2) AS INTEGER))) // 12";

    private static string BaseAndEntries(CohortDefinition d, DataWindow data)
    {
        var from = CriterionSql.Date(d.Population.RegisteredFrom.Resolve(data));
        var to = CriterionSql.Date(d.Population.RegisteredTo.Resolve(data));
        var bands = string.Join(" ", Segments.AgeBands.Reverse().Select(b => $"WHEN age >= {b.From} THEN '{b.Label}'"));
        if (d.Index.Fixed is { } fixedDate)
        {
            return FixedBaseAndEntries(CriterionSql.Date(fixedDate.Resolve(data)), from, to, bands);
        }

        var ev = d.Index.Event!;
        var entries = $"""
            SELECT DISTINCT ev.person_id, CAST(ev.event_date AS DATE) AS index_date
            FROM ({CriterionSql.Events(ev.Source)}) ev SEMI JOIN ch_base b ON b.person_id = ev.person_id
            WHERE ev.event_date BETWEEN {CriterionSql.Date(ev.From.Resolve(data))} AND {CriterionSql.Date(ev.To.Resolve(data))}
            """;

        return $"""
            CREATE OR REPLACE TEMP TABLE ch_base AS
            SELECT r.person_id
            FROM registration r JOIN person p USING (person_id)
            WHERE r.registration_start_date <= {to} AND (r.registration_end_date IS NULL OR r.registration_end_date >= {from})
              AND (p.date_of_death IS NULL OR p.date_of_death >= {from})
            GROUP BY r.person_id;

            CREATE OR REPLACE TEMP TABLE ch_entries AS
            WITH raw AS ({entries}), practice AS (
              -- The practice at index: of the latest registration started by then (a join, not a subquery per entry).
              SELECT raw.person_id, raw.index_date, arg_max(r.practice_code, r.registration_start_date) AS practice_code
              FROM raw JOIN registration r ON r.person_id = raw.person_id AND r.registration_start_date <= raw.index_date
              GROUP BY raw.person_id, raw.index_date
            )
            SELECT row_number() OVER (ORDER BY raw.person_id, raw.index_date) AS entry_id, raw.person_id, raw.index_date,
                   CAST(CASE WHEN month(raw.index_date) >= 4 THEN year(raw.index_date) ELSE year(raw.index_date) - 1 END AS INTEGER) AS fin_year,
                   a.age, CASE WHEN a.age IS NULL THEN NULL {bands} END AS age_band, pr.practice_code
            FROM raw JOIN person p USING (person_id)
            LEFT JOIN practice pr ON pr.person_id = raw.person_id AND pr.index_date = raw.index_date,
            LATERAL (SELECT CAST({AgeSql("raw.index_date")} AS INTEGER) AS age) a;
            """;
    }

    /// <summary>
    /// Base and entries for a fixed index date (one entry per base person) in one pass over <c>registration</c> and
    /// <c>person</c>: per person, whether a registration overlaps the population's dates and the practice of the latest
    /// registration started by the index date, grouped once. The same rows as the general path, which joins the
    /// registrations a second time per entry to find the practice.
    /// </summary>
    private static string FixedBaseAndEntries(string index, string from, string to, string bands) => $"""
        CREATE OR REPLACE TEMP TABLE ch_entries AS
        WITH reg AS (
          SELECT r.person_id,
                 arg_max(r.practice_code, r.registration_start_date) FILTER (r.registration_start_date <= {index}) AS practice_code
          FROM registration r
          GROUP BY r.person_id
          HAVING bool_or(r.registration_start_date <= {to} AND (r.registration_end_date IS NULL OR r.registration_end_date >= {from}))
        ), aged AS (
          SELECT reg.person_id, {index} AS index_date, CAST({AgeSql(index)} AS INTEGER) AS age, reg.practice_code
          FROM reg JOIN person p USING (person_id)
          WHERE p.date_of_death IS NULL OR p.date_of_death >= {from}
        )
        SELECT row_number() OVER (ORDER BY person_id) AS entry_id, person_id, index_date,
               CAST(CASE WHEN month(index_date) >= 4 THEN year(index_date) ELSE year(index_date) - 1 END AS INTEGER) AS fin_year,
               age, CASE WHEN age IS NULL THEN NULL {bands} END AS age_band, practice_code
        FROM aged;

        CREATE OR REPLACE TEMP TABLE ch_base AS SELECT person_id FROM ch_entries;
        """;

    private static string Flags(IReadOnlyList<CompiledRule> rules)
    {
        var passes = rules.Select((r, i) => r.Exclude ? $"NOT coalesce({r.Test}, false) AS r{i + 1}" : $"coalesce({r.Test}, false) AS r{i + 1}");
        var firstFailed = rules.Count == 0 ? "0" : "CASE " + string.Concat(rules.Select((_, i) => $"WHEN NOT r{i + 1} THEN {i + 1} ")) + "ELSE 0 END";
        return $"""
            CREATE OR REPLACE TEMP TABLE ch_flags AS
            WITH f AS (
              SELECT e.entry_id, e.person_id, e.index_date{string.Concat(passes.Select(p => ",\n    " + p))}
              FROM ch_entries e JOIN person p ON p.person_id = e.person_id
              {YearJoins(string.Join("\n", rules.Select(r => r.Test)))}
              {string.Join("\n  ", rules.Where(r => r.Join is not null).Select(r => r.Join))}
            )
            SELECT *, {firstFailed} AS first_failed FROM f;
            """;
    }

    private static List<AttritionRow> Attrition(DuckDBConnection db, IReadOnlyList<CompiledRule> rules)
    {
        // One pass over ch_flags, per person first: a person is left after step s when one of their entries fails no rule
        // up to s, i.e. when the furthest step any entry reaches ("reach", k + 1 for an entry that passes all) exceeds s.
        // (The obvious query joins every step to every entry and counts distinct people k + 1 times.)
        var k = rules.Count;
        var steps = Enumerable.Range(1, k).ToList();
        var perPerson = string.Concat(steps.Select(i => $", count(*) FILTER (first_failed = 0 OR first_failed > {i}) AS e{i}, bool_or(r{i}) AS p{i}, count(*) FILTER (r{i}) AS a{i}"));
        var totals = string.Concat(steps.Select(i =>
            $", CAST(count(*) FILTER (reach > {i}) AS BIGINT) AS people{i}, CAST(sum(e{i}) AS BIGINT) AS events{i}, CAST(count(*) FILTER (p{i}) AS BIGINT) AS alone{i}, CAST(sum(a{i}) AS BIGINT) AS alone_events{i}"));
        var row = ((IDictionary<string, object?>)db.QuerySingle($"""
            WITH per_person AS (
              SELECT person_id, count(*) AS entries, max(CASE WHEN first_failed = 0 THEN {k + 1} ELSE first_failed END) AS reach{perPerson}
              FROM ch_flags GROUP BY person_id
            )
            SELECT CAST(sum(entries) AS BIGINT) AS entries{totals} FROM per_person
            """)).Values.Select(v => v is null ? 0L : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var basePeople = DuckDb.Scalar<long>(db, "SELECT count(*) FROM ch_base");
        var attrition = new List<AttritionRow> { new(0, "registered (population)", false, basePeople, row[0], basePeople, row[0]) };
        attrition.AddRange(steps.Select(i => new AttritionRow(
            i, rules[i - 1].Name, rules[i - 1].Exclude, row[4 * i - 3], row[4 * i - 2], row[4 * i - 1], row[4 * i])));
        return attrition;
    }

    private static string Cohort(CohortDefinition d, DataWindow data)
    {
        var pick = d.Index.Event is { First: false } ? "DESC" : "ASC";
        var followUp = d.Exit.FollowUpDays is { } days ? $"c.index_date + {days - 1}" : "DATE '9999-12-31'";
        var dataEnd = CriterionSql.Date(data.End);
        var variables = new List<string>();
        var joins = new List<string>();
        var n = 0;
        foreach (var v in d.Variables)
        {
            if (v.Builtin)
            {
                variables.Add($"{VariableSpec.Builtins[v.Name]} AS {Sql.Identifier(v.Name)}");
                continue;
            }

            n++;
            var c = v.Criterion!;
            if (c.Source is not null)
            {
                joins.Add($"LEFT JOIN ({CriterionSql.EventCounts("ch_chosen", c)}) v{n} ON v{n}.entry_id = e.entry_id");
                variables.Add(v.Kind == "count" ? $"CAST(coalesce(v{n}.n, 0) AS INTEGER) AS {Sql.Identifier(v.Name)}" : $"{CriterionSql.CountTest($"v{n}.n", c)} AS {Sql.Identifier(v.Name)}");
            }
            else if (c.Segment is { } s)
            {
                variables.Add($"coalesce({CriterionSql.Segment(s, s.PreviousYear ? "yp" : "y", s.PreviousYear ? "ypr" : "yr")}, false) AS {Sql.Identifier(v.Name)}");
            }
            else
            {
                variables.Add($"{CriterionSql.Death(c, "p", "e.index_date")} AS {Sql.Identifier(v.Name)}");
            }
        }

        if (d.CostWindow is { } w)
        {
            var sums = CriterionParser.Settings.Select(s => $"sum(a.cost) FILTER (a.setting = {Sql.Literal(s)}) AS {Sql.Identifier("cost_" + s)}");
            joins.Add($"""
                LEFT JOIN (SELECT e.entry_id, {string.Join(", ", sums)}, sum(a.cost) AS cost_total FROM ch_chosen e
                           JOIN costed_activity a ON a.person_id = e.person_id AND {CriterionSql.InWindow("a.start_date", "e.index_date", w)}
                           GROUP BY e.entry_id) costs ON costs.entry_id = e.entry_id
                """);
            variables.AddRange(CriterionParser.Settings.Select(s => $"CAST(coalesce(costs.cost_{s}, 0) AS DOUBLE) AS cost_{s}"));
            variables.Add("CAST(coalesce(costs.cost_total, 0) AS DOUBLE) AS cost_total");
        }

        return $"""
            CREATE OR REPLACE TEMP TABLE ch_chosen AS
            SELECT e.* FROM ch_entries e JOIN ch_flags f USING (entry_id)
            WHERE f.first_failed = 0
            QUALIFY row_number() OVER (PARTITION BY e.person_id ORDER BY e.index_date {pick}) = 1;

            CREATE OR REPLACE TEMP TABLE ch_cohort AS
            WITH registered AS (
              SELECT c.entry_id, max(coalesce(r.registration_end_date, DATE '9999-12-31')) AS registration_end
              FROM ch_chosen c JOIN registration r ON r.person_id = c.person_id AND r.registration_start_date <= c.index_date
              GROUP BY c.entry_id
            ), ends AS (
              SELECT c.entry_id, g.registration_end, p.date_of_death, {followUp} AS follow_up_end
              FROM ch_chosen c JOIN person p USING (person_id) LEFT JOIN registered g USING (entry_id)
            ), exits AS (
              SELECT entry_id, least(follow_up_end, registration_end, coalesce(date_of_death, DATE '9999-12-31'), {dataEnd}) AS exit_date,
                     follow_up_end, registration_end, date_of_death
              FROM ends
            )
            SELECT e.person_id, e.index_date, x.exit_date,
                   CASE WHEN x.exit_date = x.date_of_death THEN 'death'
                        WHEN x.exit_date = x.registration_end THEN 'end of registration'
                        WHEN x.exit_date = x.follow_up_end THEN 'end of follow-up'
                        ELSE 'end of data' END AS exit_reason,
                   CAST(datediff('day', e.index_date, x.exit_date) + 1 AS INTEGER) AS follow_up_days{string.Concat(variables.Select(v => ",\n       " + v))}
            FROM ch_chosen e JOIN exits x USING (entry_id) JOIN person p ON p.person_id = e.person_id
            {YearJoins(string.Join("\n", variables))}
            {string.Join("\n", joins)}
            ORDER BY e.person_id;
            """;
    }

    /// <summary>
    /// The person_year joins that <paramref name="expressions"/> use: <c>y</c>/<c>yp</c> (the index and previous financial
    /// year) and their cost ranks <c>yr</c>/<c>ypr</c>. Only those: each is a join over everyone's years, and a definition
    /// that reads none of them (at one row per person and year) has the same rows without it.
    /// </summary>
    private static string YearJoins(string expressions)
    {
        var joins = new List<string>();
        foreach (var (alias, table, year) in new[] { ("y", "person_year", "e.fin_year"), ("yp", "person_year", "e.fin_year - 1"), ("yr", "ch_rank", "e.fin_year"), ("ypr", "ch_rank", "e.fin_year - 1") })
        {
            if (Regex.IsMatch(expressions, $@"\b{alias}\."))
            {
                joins.Add($"LEFT JOIN {table} {alias} ON {alias}.person_id = e.person_id AND {alias}.fin_year = {year}");
            }
        }

        return string.Join("\n", joins);
    }

    [GeneratedRegex(@"\bch_rank\b")]
    private static partial Regex RankTable();
}
