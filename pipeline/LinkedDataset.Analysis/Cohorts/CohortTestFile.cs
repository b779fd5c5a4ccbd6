using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>A cohort test sidecar (the ehrQL <c>assure</c> idea): made-up people, their events and what the cohort should make of them.</summary>
/// <param name="CohortPath">The cohort definition tested.</param>
/// <param name="Data">The throwaway dataset's months (anchored dates in the cohort resolve against it).</param>
/// <param name="People">The made-up people.</param>
public sealed record CohortTestFile(string CohortPath, DataWindow Data, IReadOnlyList<TestPerson> People);

/// <summary>A made-up person.</summary>
/// <param name="Id">Person id (also how messages name them).</param>
/// <param name="BirthMonth"><c>YYYY-MM</c>.</param>
/// <param name="Sex">1 male, 2 female (from <c>male</c>/<c>female</c>).</param>
/// <param name="District">District.</param>
/// <param name="Lsoa">LSOA 2011 code.</param>
/// <param name="ImdQuintile">IMD 2019 quintile.</param>
/// <param name="Practice">GP practice code.</param>
/// <param name="RegisteredFrom">Registration start.</param>
/// <param name="RegisteredTo">Registration end, if any.</param>
/// <param name="Died">Date of death, if any.</param>
/// <param name="Events">Feed rows.</param>
/// <param name="PersonYear">person_year values that replace what the marts computed from the events (every year of the person).</param>
/// <param name="Expect">What the cohort should make of them.</param>
/// <param name="Line">Line of the person in the file.</param>
public sealed record TestPerson(
    long Id, string BirthMonth, string Sex, string? District, string? Lsoa, int? ImdQuintile, string Practice, DateOnly RegisteredFrom, DateOnly? RegisteredTo,
    DateOnly? Died, IReadOnlyList<TestEvent> Events, IReadOnlyDictionary<string, string> PersonYear, TestExpectation Expect, long Line);

/// <summary>One feed row of a made-up person: the feed, its activity date and any content columns.</summary>
public sealed record TestEvent(string Feed, DateOnly Date, IReadOnlyDictionary<string, string> Columns);

/// <summary>Expected result: in the cohort or not, the rule that excludes them, and variable values.</summary>
public sealed record TestExpectation(bool InCohort, string? ExcludedBy, IReadOnlyDictionary<string, string> Variables);

/// <summary>Reads cohort test sidecars; errors name the file, line and field.</summary>
public static class CohortTestParser
{
    /// <summary>Parses <paramref name="path"/>.</summary>
    public static CohortTestFile Load(string path)
    {
        var root = Yaml.LoadFields(path);
        root.Keys("cohort", "data", "people");
        var cohort = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, root.Required("cohort", "the cohort file this tests, relative to this file").Text());
        var data = root.Required("data", "the throwaway dataset's months, e.g. data: { start: 2023-04-01, end: 2026-03-31 }");
        data.Keys("start", "end");
        DateOnly Fixed(YamlField n) => n.Date().Fixed ?? throw n.Error("must be a date YYYY-MM-DD here.");
        var window = new DataWindow(Fixed(data.Required("start")), Fixed(data.Required("end")));
        var feeds = FeedSchemaLoader.LoadAll();
        // "copies: N" stands for N identical people with ids id, id+1, … (a crowd for percentiles such as the top 5 % by cost).
        var people = root.Required("people").Items().SelectMany(p =>
        {
            var person = Person(p, feeds);
            var copies = p.Optional("copies")?.Int(1, 10_000) ?? 1;
            return Enumerable.Range(0, copies).Select(i => person with { Id = person.Id + i });
        }).ToList();
        foreach (var duplicate in people.GroupBy(p => p.Id).Where(g => g.Count() > 1))
        {
            throw root.Required("people").Error($"person {duplicate.Key} is listed twice.");
        }

        return new CohortTestFile(cohort, window, people);
    }

    private static TestPerson Person(YamlField p, IReadOnlyDictionary<string, FeedSchema> feeds)
    {
        p.Keys("id", "copies", "born", "sex", "district", "lsoa", "imd_quintile", "practice", "registered", "died", "events", "person_year", "expect");
        var born = p.Required("born", "birth month YYYY-MM").Text();
        if (!DateOnly.TryParseExact(born + "-01", "yyyy-MM-dd", out _))
        {
            throw p.Required("born").Error($"'{born}' is not a month YYYY-MM.");
        }

        DateOnly Fixed(YamlField n) => n.Date().Fixed ?? throw n.Error("must be a date YYYY-MM-DD here.");
        var registered = p.Required("registered", "a date, or { from: DATE, to: DATE }");
        DateOnly from;
        DateOnly? to = null;
        if (registered.IsMapping)
        {
            registered.Keys("from", "to");
            from = Fixed(registered.Required("from"));
            to = registered.Optional("to") is { } t ? Fixed(t) : null;
        }
        else
        {
            from = Fixed(registered);
        }

        var events = p.Optional("events")?.Items().Select(e => Event(e, feeds)).ToList() ?? [];
        var personYear = new Dictionary<string, string>();
        if (p.Optional("person_year") is { } py)
        {
            foreach (var (column, value) in py.Entries())
            {
                if (!CriterionParser.SegmentColumns.ContainsKey(column))
                {
                    throw value.Error($"'{column}' is not a person_year column a cohort tests; use one of: {string.Join(", ", CriterionParser.SegmentColumns.Keys)}.");
                }

                personYear[column] = value.Text();
            }
        }

        var expect = p.Required("expect", "e.g. expect: { in_cohort: true }");
        expect.Keys("in_cohort", "excluded_by", "variables");
        var variables = expect.Optional("variables")?.Entries().ToDictionary(v => v.Key, v => v.Value.Text()) ?? [];
        var sex = p.Optional("sex")?.OneOf(["female", "male"]) ?? "female";
        return new TestPerson(
            p.Required("id").Int(1), born, sex == "male" ? "1" : "2", p.Optional("district")?.Text(), p.Optional("lsoa")?.Text(),
            p.Optional("imd_quintile")?.Int(1, 5), p.Optional("practice")?.Text() ?? "G1", from, to, p.Optional("died") is { } d ? Fixed(d) : null,
            events, personYear, new TestExpectation(expect.Required("in_cohort").Bool(), expect.Optional("excluded_by")?.Text(), variables), p.Line);
    }

    private static TestEvent Event(YamlField e, IReadOnlyDictionary<string, FeedSchema> feeds)
    {
        var feed = e.Required("feed").OneOf(feeds.Keys.Where(f => f != "pmi").ToList());
        var schema = feeds[feed];
        var date = e.Required("date").Date().Fixed ?? throw e.Required("date").Error("must be a date YYYY-MM-DD.");
        var columns = new Dictionary<string, string>();
        foreach (var (column, value) in e.Entries())
        {
            if (column is "feed" or "date")
            {
                continue;
            }

            var declared = schema.ContentColumns.FirstOrDefault(c => c.Name == column)
                ?? throw value.Error($"feed '{feed}' has no column '{column}'.");
            columns[column] = declared.Codes is { } codes ? value.OneOf(codes.Keys.ToList()) : value.Text();
        }

        return new TestEvent(feed, date, columns);
    }
}
