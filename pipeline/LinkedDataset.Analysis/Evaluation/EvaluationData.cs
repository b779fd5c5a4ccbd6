// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>One member row read back for matching: a treated person or an eligible comparator at an index month, and their covariates.</summary>
public sealed record MemberRow(long PersonId, int IndexMonth, bool Treated, DateOnly CensorDate, string Sex, int Age, double[] Covariates);

/// <summary>
/// Builds, inside DuckDB, the evaluation's tables from the linked tables a snapshot has (<c>person</c>,
/// <c>intervention</c> and the activity tables), then reads back only members and their covariates.
/// Every statement is ours: the spec contributes validated names (looked up in the catalogues) and numbers.
/// </summary>
internal static class EvaluationData
{
    /// <summary>Month number of a date: year × 12 + month − 1.</summary>
    public static int MonthIndex(DateOnly d) => d.Year * 12 + d.Month - 1;

    public static DateOnly MonthStart(int monthIndex) => new(monthIndex / 12, monthIndex % 12 + 1, 1);

    public static string MonthLabel(int monthIndex) => MonthStart(monthIndex).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Mi(string dateSql) => $"(year({dateSql}) * 12 + month({dateSql}) - 1)";

    private static string Date(int monthIndex) => $"DATE '{MonthStart(monthIndex):yyyy-MM-dd}'";

    /// <summary>The months (first, last) with A&amp;E or outpatient activity: the data window.</summary>
    public static (int First, int Last) DataWindow(DuckDBConnection db)
    {
        var (first, last) = db.QuerySingle<(long? First, long? Last)>($"""
            SELECT min(m), max(m) FROM (
              SELECT {Mi("arrival_date")} AS m FROM ae UNION ALL SELECT {Mi("appointment_date")} FROM op)
            """);
        return first is { } f && last is { } l
            ? (Convert.ToInt32(f, CultureInfo.InvariantCulture), Convert.ToInt32(l, CultureInfo.InvariantCulture))
            : throw new PipelineException("The snapshot has no A&E or outpatient activity: no data window to evaluate in.");
    }

    /// <summary>Columns of a table or view (lower case).</summary>
    public static HashSet<string> Columns(DuckDBConnection db, string table) =>
        db.Query<string>("SELECT column_name FROM information_schema.columns WHERE table_name = $table", new { table }).Select(c => c.ToLowerInvariant()).ToHashSet();

    /// <summary>
    /// Creates <c>ev_person</c>, <c>ev_referral</c>, <c>ev_treated</c>, <c>ev_member</c> (treated and eligible comparator rows per index
    /// month), <c>ev_event</c> (outcome events per person and day, with link-quality counts) and <c>ev_covariates</c>.
    /// </summary>
    public static void Build(DuckDBConnection db, EvaluationSpec spec, int firstIndex, int lastIndex, IReadOnlyList<OutcomeMeasure> outcomes, IReadOnlyList<Covariate> covariates, bool hasPersonYear)
    {
        var w = spec.Windows;
        var personColumns = Columns(db, "person");
        var provisional = personColumns.Contains("provisional") ? "WHERE NOT coalesce(provisional, false)" : "";
        var indexColumn = spec.Index == "referral_date" ? "referral_date" : "start_date";
        string AgeOk(string month) => $"floor(({month} - p.birth_mi) / 12) >= {spec.MinAge}" + (spec.MaxAge is { } max ? $" AND floor(({month} - p.birth_mi) / 12) <= {max}" : "");
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TEMP TABLE ev_person AS
            SELECT person_id, CAST(substr(birth_month, 1, 4) AS INTEGER) * 12 + CAST(substr(birth_month, 6, 2) AS INTEGER) - 1 AS birth_mi,
                   sex, imd_quintile, first_registered, registered_until, date_of_death
            FROM person {provisional};

            CREATE OR REPLACE TEMP TABLE ev_referral AS
            SELECT person_id, min(referral_date) AS referred, min({indexColumn}) AS index_date
            FROM intervention WHERE programme_code = $programme AND person_id IS NOT NULL
            GROUP BY person_id;

            -- Treated: indexed in the evaluated months, of age, registered and alive at the index date, registered since the first window month.
            CREATE OR REPLACE TEMP TABLE ev_treated AS
            SELECT r.person_id, r.index_date, {Mi("r.index_date")} AS g
            FROM ev_referral r JOIN ev_person p USING (person_id)
            WHERE r.index_date IS NOT NULL AND {Mi("r.index_date")} BETWEEN {firstIndex} AND {lastIndex}
              AND {AgeOk(Mi("r.index_date"))}
              AND p.first_registered <= CAST(date_trunc('month', r.index_date) + INTERVAL ({w.First}) MONTH AS DATE)
              AND (p.registered_until IS NULL OR p.registered_until > r.index_date)
              AND (p.date_of_death IS NULL OR p.date_of_death > r.index_date);
            """.Replace("$programme", Sql.Literal(spec.Programme), StringComparison.Ordinal));

        // Comparators at each index month that has a treated person (risk sets): of age, registered and alive on the first
        // day of that month, registered since the first window month, and still followed then. A comparator who is referred
        // later is followed only up to the start of the naive before-period of their own referral (month of referral
        // + NaivePreFrom): people are referred after a crisis in their use, and counting that crisis in a comparator's
        // follow-up would credit the programme with preventing it. So nobody is chosen for what happens to them afterwards.
        var cap = spec.PoolPerTreated > 0
            ? $"QUALIFY row_number() OVER (PARTITION BY m.g ORDER BY hash(p.person_id, m.g, {spec.Seed})) <= {spec.PoolPerTreated} * any_value(m.treated) OVER (PARTITION BY m.g)"
            : "";
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TEMP TABLE ev_member AS
            WITH months AS (SELECT g, count(*) AS treated FROM ev_treated GROUP BY g),
                 pool AS (
                   SELECT p.person_id, m.g
                   FROM months m JOIN ev_person p
                     ON {AgeOk("m.g")}
                    AND p.first_registered <= make_date(CAST((m.g + ({w.First})) // 12 AS INTEGER), CAST((m.g + ({w.First})) % 12 + 1 AS INTEGER), 1)
                    AND (p.registered_until IS NULL OR p.registered_until > make_date(CAST(m.g // 12 AS INTEGER), CAST(m.g % 12 + 1 AS INTEGER), 1))
                    AND (p.date_of_death IS NULL OR p.date_of_death > make_date(CAST(m.g // 12 AS INTEGER), CAST(m.g % 12 + 1 AS INTEGER), 1))
                   LEFT JOIN ev_referral r ON r.person_id = p.person_id
                   WHERE r.referred IS NULL OR {Mi("r.referred")} + ({w.NaivePreFrom}) > m.g
                   {cap}
                 )
            SELECT t.person_id, t.g, true AS treated,
                   least(coalesce(p.registered_until, DATE '9999-01-01'), coalesce(p.date_of_death, DATE '9999-01-01')) AS censor_date
            FROM ev_treated t JOIN ev_person p USING (person_id)
            UNION ALL
            SELECT c.person_id, c.g, false,
                   least(coalesce(p.registered_until, DATE '9999-01-01'), coalesce(p.date_of_death, DATE '9999-01-01'),
                         coalesce(CAST(date_trunc('month', r.referred) + INTERVAL ({w.NaivePreFrom}) MONTH AS DATE), DATE '9999-01-01'))
            FROM pool c JOIN ev_person p USING (person_id) LEFT JOIN ev_referral r USING (person_id);
            """);

        BuildEvents(db, outcomes);

        var select = new List<string>();
        foreach (var c in covariates)
        {
            select.Add(c.Source == CovariateSource.PriorUse
                ? $"coalesce(pr.{Sql.Identifier(c.Sql)}, 0) * 12.0 / {w.PreTo - w.PreFrom + 1}"
                : c.Sql);
        }

        var priors = covariates.Where(c => c.Source == CovariateSource.PriorUse).Select(c => c.Sql).Distinct().ToList();
        var priorSql = priors.Count == 0 ? "" : $"""
            LEFT JOIN (
              SELECT m.person_id, m.g, {string.Join(", ", priors.Select(o => $"sum(e.n_all) FILTER (e.outcome = {Sql.Literal(o)}) AS {Sql.Identifier(o)}"))}
              FROM ev_member m JOIN ev_event e ON e.person_id = m.person_id AND e.mi BETWEEN m.g + ({w.PreFrom}) AND m.g + ({w.PreTo})
              GROUP BY m.person_id, m.g
            ) pr ON pr.person_id = m.person_id AND pr.g = m.g
            """;
        var finYear = "CAST(CASE WHEN m.g % 12 >= 3 THEN m.g // 12 ELSE m.g // 12 - 1 END AS INTEGER)";
        var pySql = hasPersonYear
            ? $"LEFT JOIN person_year py ON py.person_id = m.person_id AND py.fin_year = {finYear} LEFT JOIN person_year pp ON pp.person_id = m.person_id AND pp.fin_year = {finYear} - 1"
            : "";
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TEMP TABLE ev_covariates AS
            SELECT m.person_id, m.g, m.treated, m.censor_date, p.sex, CAST(floor((m.g - p.birth_mi) / 12) AS INTEGER) AS age
                   {string.Concat(select.Select((s, i) => $", CAST({s} AS DOUBLE) AS c{i}"))}
            FROM ev_member m JOIN ev_person p USING (person_id)
            {priorSql}
            {pySql}
            """);
    }

    /// <summary>
    /// <c>ev_event(person_id, outcome, event_date, mi, n_all, n_certain, w)</c>: events of members per day; <c>n_certain</c>
    /// leaves out rows linked with <c>match_uncertain</c> or to provisional persons, <c>w</c> weights rows by <c>match_probability</c>.
    /// </summary>
    private static void BuildEvents(DuckDBConnection db, IReadOnlyList<OutcomeMeasure> outcomes)
    {
        var parts = outcomes.Select(o =>
        {
            var columns = Columns(db, o.Table);
            if (columns.Count == 0)
            {
                throw new PipelineException($"The snapshot has no '{o.Table}' table, which outcome '{o.Name}' counts.");
            }

            var certain = (columns.Contains("match_uncertain") ? "NOT coalesce(match_uncertain, false)" : "true")
                          + (columns.Contains("link_method") ? " AND coalesce(link_method, '') <> 'provisional'" : "");
            var weight = columns.Contains("match_probability") ? "coalesce(match_probability, 1.0)" : "1.0";
            return $"SELECT person_id, {Sql.Literal(o.Name)} AS outcome, {Sql.Identifier(o.DateColumn)} AS d, {certain} AS certain, CAST({weight} AS DOUBLE) AS w FROM {Sql.Identifier(o.Table)} WHERE person_id IS NOT NULL AND {Sql.Identifier(o.DateColumn)} IS NOT NULL AND ({o.Filter})";
        });
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TEMP TABLE ev_event AS
            SELECT person_id, outcome, d AS event_date, {Mi("d")} AS mi, count(*) AS n_all, count(*) FILTER (certain) AS n_certain, sum(w) AS w
            FROM ({string.Join("\nUNION ALL\n", parts)}) x
            SEMI JOIN (SELECT DISTINCT person_id FROM ev_member) USING (person_id)
            GROUP BY ALL
            """);
    }

    // Hand-mapped: one row per member (population-scale), the covariates a variable run of columns into one array and the
    // censor date read as DateOnly; Dapper maps columns to members by name.
    /// <summary>Reads every member row with its covariates (treated first).</summary>
    public static List<MemberRow> ReadMembers(DuckDBConnection db, int covariateCount) =>
        DuckDb.Query(db, "SELECT * FROM ev_covariates ORDER BY treated DESC, g, person_id", r =>
        {
            var values = new double[covariateCount];
            for (var i = 0; i < covariateCount; i++)
            {
                values[i] = r.IsDBNull(6 + i) ? 0 : r.GetDouble(6 + i);
            }

            return new MemberRow(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.GetInt32(1), r.GetBoolean(2),
                r.GetFieldValue<DateOnly>(3), r.IsDBNull(4) ? "" : r.GetString(4), r.GetInt32(5), values);
        });

    /// <summary>Writes the matched members (set, member 0 = treated) and reads back monthly counts per outcome, relative month and link variant.</summary>
    public static List<(int Set, int Member, int Month, string Outcome, double All, double Certain, double Weighted)> ReadSeries(
        DuckDBConnection db, IReadOnlyList<(int Set, int Member, long PersonId, int IndexMonth, DateOnly Censor)> members, EventWindows w)
    {
        DuckDb.Execute(db, "CREATE OR REPLACE TEMP TABLE ev_matched (set_id INTEGER, member INTEGER, person_id BIGINT, g INTEGER, censor_date DATE)");
        using (var appender = db.CreateAppender("ev_matched"))
        {
            foreach (var m in members)
            {
                appender.CreateRow().AppendValue(m.Set).AppendValue(m.Member).AppendValue(m.PersonId).AppendValue(m.IndexMonth).AppendValue(m.Censor).EndRow();
            }
        }

        return db.Query<(int Set, int Member, int Month, string Outcome, double All, double Certain, double Weighted)>($"""
            SELECT m.set_id, m.member, CAST(e.mi - m.g AS INTEGER) AS month, e.outcome, CAST(sum(e.n_all) AS DOUBLE), CAST(sum(e.n_certain) AS DOUBLE), CAST(sum(e.w) AS DOUBLE)
            FROM ev_matched m JOIN ev_event e ON e.person_id = m.person_id
             AND e.mi BETWEEN m.g + ({w.First}) AND m.g + ({w.Last}) AND e.event_date < m.censor_date
            GROUP BY ALL
            """).AsList();
    }
}
