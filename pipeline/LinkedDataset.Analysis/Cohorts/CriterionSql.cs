using System.Globalization;
using System.Text.RegularExpressions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>
/// Turns parsed criteria into SQL over the snapshot views (<c>person</c>, <c>registration</c>, one per
/// feed) and the marts (<c>person_year</c>, <c>costed_activity</c>). Only validated values reach the
/// SQL: settings, feed columns and codes from closed sets, numbers, dates formatted here, and free
/// text (district, LSOA, practice) checked against a pattern and quoted by <see cref="Sql.Literal"/>.
/// </summary>
public static partial class CriterionSql
{
    private static readonly Lazy<IReadOnlyDictionary<string, FeedSchema>> Feeds = new(() => FeedSchemaLoader.LoadAll());

    /// <summary>A DuckDB DATE literal.</summary>
    public static string Date(DateOnly date) => "DATE '" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";

    /// <summary>A number literal.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A text literal for a free-text filter value (district, LSOA, practice), after checking it looks like one.</summary>
    public static string Text(string value) => FreeText().IsMatch(value)
        ? Sql.Literal(value)
        : throw new ArgumentException($"'{value}' is not a district, LSOA or practice code (letters, digits, spaces, - ' . & only).", nameof(value));

    /// <summary><c>SELECT person_id, event_date</c> of every event of <paramref name="source"/> (person-linked rows only).</summary>
    public static string Events(EventSource source) => source switch
    {
        ActivitySource a => $"SELECT person_id, start_date AS event_date FROM costed_activity WHERE setting IN ({string.Join(", ", a.Settings.Select(Sql.Literal))})",
        CodesSource { Codelist.System: "snomed" } c =>
            $"SELECT g.person_id, g.event_date FROM gp_event g JOIN {Codelists.Table(c.Codelist)} cl ON upper(trim(g.snomedct_code)) = cl.code WHERE g.person_id IS NOT NULL",
        CodesSource c => $"""
            SELECT DISTINCT person_id, provider_code, apcs_ident, admission_date AS event_date FROM (
              SELECT a.person_id, a.provider_code, a.apcs_ident, a.admission_date, upper(trim(d.dx)) AS code
              FROM apc a, unnest(string_split(coalesce(a.primary_diagnosis, '') || ',' || coalesce(a.secondary_diagnoses, ''), ',')) d(dx)
              WHERE a.person_id IS NOT NULL) x
            WHERE EXISTS (SELECT 1 FROM {Codelists.Table(c.Codelist)} cl WHERE starts_with(x.code, cl.code))
            """,
        FeedSource f => FeedEvents(f),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>The condition "event date in the window around <paramref name="indexColumn"/>".</summary>
    public static string InWindow(string dateColumn, string indexColumn, DayWindow window) =>
        (window.From is { } from ? $"{dateColumn} >= {indexColumn} + {from} AND " : "") + $"{dateColumn} <= {indexColumn} + {window.To}";

    /// <summary>
    /// A subquery <c>(entry_id, n)</c>: how many events of <paramref name="criterion"/> each row of
    /// <paramref name="entries"/> (with <c>entry_id, person_id, index_date</c>) has in the window.
    /// </summary>
    public static string EventCounts(string entries, Criterion criterion)
    {
        var window = criterion.Window ?? new DayWindow(null, 36_500);
        return $"""
            SELECT e.entry_id, count(*) AS n FROM {entries} e
            JOIN ({Events(criterion.Source!)}) ev ON ev.person_id = e.person_id AND {InWindow("ev.event_date", "e.index_date", window)}
            GROUP BY e.entry_id
            """;
    }

    /// <summary>The test of a count <paramref name="n"/> against at_least/at_most.</summary>
    public static string CountTest(string n, Criterion criterion) =>
        $"coalesce({n}, 0) >= {criterion.AtLeast}" + (criterion.AtMost is { } most ? $" AND coalesce({n}, 0) <= {most}" : "");

    /// <summary>A segment's conditions over person_year alias <paramref name="y"/> and its cost rank <paramref name="rank"/>.</summary>
    public static string Segment(SegmentSpec spec, string y, string rank) => string.Join(" AND ", spec.Conditions.Select(c =>
    {
        var column = $"{y}.{Sql.Identifier(c.Column)}";
        if (c.TopPercent is { } top)
        {
            return $"({y}.total_cost > 0 AND {rank}.top_share <= {Number(top / 100)})";
        }

        if (c.Values.Count > 0)
        {
            var numeric = CriterionParser.SegmentColumns[c.Column];
            var values = c.Values.Select(v => numeric || v is "true" or "false" ? v : c.Column == "district" ? Text(v) : Sql.Literal(v));
            return $"{column} IN ({string.Join(", ", values)})";
        }

        return "(" + string.Join(" AND ", new[] { c.Min is { } min ? $"{column} >= {Number(min)}" : null, c.Max is { } max ? $"{column} <= {Number(max)}" : null }
            .OfType<string>().DefaultIfEmpty("true")) + ")";
    }));

    /// <summary>Death in the window (any recorded death when no window).</summary>
    public static string Death(Criterion criterion, string person, string index) => criterion.Window is { } w
        ? $"({person}.date_of_death IS NOT NULL AND {InWindow($"{person}.date_of_death", index, w)})"
        : $"{person}.date_of_death IS NOT NULL";

    private static string FeedEvents(FeedSource f)
    {
        var schema = Feeds.Value[f.Feed];
        var where = string.Concat(f.Match.Select(m => $" AND {Sql.Identifier(m.Column)} IN ({string.Join(", ", m.Values.Select(Sql.Literal))})"));
        return $"SELECT person_id, {Sql.Identifier(schema.ActivityDate)} AS event_date FROM {Sql.Identifier(f.Feed)} WHERE person_id IS NOT NULL{where}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 \-'.&]{0,63}$")]
    private static partial Regex FreeText();
}
