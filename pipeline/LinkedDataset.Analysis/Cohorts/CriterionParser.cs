using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>Reads criteria (rules, index events, variables, measure numerators) against the closed vocabulary.</summary>
public static class CriterionParser
{
    /// <summary>Settings of <c>costed_activity</c> (see <c>Marts/Costing.cs</c>).</summary>
    public static readonly IReadOnlyList<string> Settings =
    [
        "apc_emergency", "apc_elective", "apc_day_case", "apc_other", "ae", "ambulance", "op", "gp", "community",
        "mental_health", "social_care", "telecare", "telecare_call",
    ];

    /// <summary><c>person_year</c> columns a segment condition may test, and whether they are numbers.</summary>
    public static readonly IReadOnlyDictionary<string, bool> SegmentColumns = new Dictionary<string, bool>
    {
        ["efi_category"] = false, ["segment"] = false, ["age_band"] = false, ["district"] = false,
        ["lives_alone"] = false, ["long_term_social_care"] = false, ["care_home"] = false, ["telecare_user"] = false, ["multimorbidity"] = false,
        ["ltc_count"] = true, ["charlson_index"] = true, ["efi_deficits"] = true, ["imd_quintile"] = true, ["age"] = true,
        ["total_cost"] = true, ["emergency_admissions"] = true, ["ae_attendances"] = true,
    };

    private static readonly IReadOnlyDictionary<string, string[]> SegmentValues = new Dictionary<string, string[]>
    {
        ["efi_category"] = ["fit", "mild", "moderate", "severe"],
        ["segment"] = ["end_of_life", "frailty", "complex_chronic", "maternity_infancy", "stable_chronic", "acutely_ill", "healthy"],
        ["age_band"] = ["0-4", "5-17", "18-44", "45-64", "65-74", "75-84", "85+"],
    };

    private static readonly Lazy<IReadOnlyDictionary<string, FeedSchema>> Feeds = new(() => FeedSchemaLoader.LoadAll());

    /// <summary>
    /// A criterion: one of <c>activity</c>, <c>codes</c>, <c>event</c> (with <c>window</c>, <c>at_least</c>, <c>at_most</c>),
    /// <c>segment</c>, or <c>death</c> (with an optional window).
    /// </summary>
    public static Criterion Criterion(YamlField node, bool requireWindow)
    {
        var keys = node.Keys("activity", "codes", "event", "window", "at_least", "at_most", "segment", "death");
        var kinds = keys.Intersect(["activity", "codes", "event", "segment", "death"]).ToList();
        if (kinds.Count != 1)
        {
            throw node.Error("needs exactly one of activity:, codes:, event:, segment: or death:.");
        }

        if (kinds[0] == "segment")
        {
            if (keys.Count > 1)
            {
                throw node.Error("segment: stands alone (it tests person_year at the index year); window and at_least do not apply.");
            }

            return new Criterion(null, null, 1, null, Segment(node.Required("segment")), false);
        }

        if (kinds[0] == "death")
        {
            var death = node.Required("death");
            death.Keys("window");
            return new Criterion(null, death.Optional("window") is { } dw ? Window(dw) : null, 1, null, null, true);
        }

        var window = node.Optional("window") is { } w ? Window(w)
            : requireWindow ? throw node.Error("needs window: { from: DAYS, to: DAYS } relative to the index date, e.g. { from: -365, to: -1 }.") : null;
        var atLeast = node.Optional("at_least")?.Int(0, 100_000) ?? 1;
        var atMost = node.Optional("at_most")?.Int(0, 100_000);
        if (atMost < atLeast)
        {
            throw node.Required("at_most").Error($"at_most ({atMost}) is below at_least ({atLeast}).");
        }

        return new Criterion(Source(node), window, atLeast, atMost, null, false);
    }

    /// <summary>The event source of a node holding one of <c>activity</c>, <c>codes</c>, <c>event</c>.</summary>
    public static EventSource Source(YamlField node)
    {
        if (node.Optional("activity") is { } activity)
        {
            activity.Keys("setting");
            var settings = activity.Required("setting", $"one or more of: {string.Join(", ", Settings)}").Items().Select(s => s.OneOf(Settings)).ToList();
            return new ActivitySource(settings);
        }

        if (node.Optional("codes") is { } codes)
        {
            codes.Keys("codelist");
            var name = codes.Required("codelist", "a folder or folder/list under schemas/reference/codelists, e.g. codelist: falls");
            return new CodesSource(Codelists.Resolve(name));
        }

        if (node.Optional("event") is { } ev)
        {
            ev.Keys("feed", "match");
            var feedNode = ev.Required("feed");
            var feed = feedNode.OneOf(FeedSchemaLoader.FeedNames.Where(f => f != "pmi").ToList());
            var schema = Feeds.Value[feed];
            var match = new List<FeedMatch>();
            if (ev.Optional("match") is { } m)
            {
                foreach (var (column, values) in m.Entries())
                {
                    var declared = schema.Columns.FirstOrDefault(c => c.Name == column && !c.IsIdentity && c.Codes is not null);
                    if (declared is null)
                    {
                        var allowed = schema.ContentColumns.Where(c => c.Codes is not null).Select(c => c.Name);
                        throw values.Error($"feed '{feed}' has no code column '{column}'; match on one of: {string.Join(", ", allowed)}.");
                    }

                    match.Add(new FeedMatch(column, values.Items().Select(v => v.OneOf(declared.Codes!.Keys.ToList())).ToList()));
                }
            }

            return new FeedSource(feed, match);
        }

        throw node.Error("needs one of activity: { setting: ... }, codes: { codelist: ... } or event: { feed: ..., match: ... }.");
    }

    /// <summary><c>{ from: DAYS, to: DAYS }</c> relative to the index date, inclusive; <c>from</c> may be omitted (no lower bound).</summary>
    public static DayWindow Window(YamlField node)
    {
        node.Keys("from", "to");
        var from = node.Optional("from")?.Int(-36_500, 36_500);
        var to = node.Required("to", "the last day relative to the index date, e.g. to: -1").Int(-36_500, 36_500);
        if (from > to)
        {
            throw node.Error($"from ({from}) is after to ({to}).");
        }

        return new DayWindow(from, to);
    }

    private static SegmentSpec Segment(YamlField node)
    {
        var conditions = new List<SegmentCondition>();
        var previous = false;
        foreach (var (column, value) in node.Entries())
        {
            if (column == "year")
            {
                previous = value.OneOf(["index", "previous"]) == "previous";
                continue;
            }

            if (!SegmentColumns.TryGetValue(column, out var numeric))
            {
                throw value.Error($"'{column}' is not a person_year column you can test; use one of: year, {string.Join(", ", SegmentColumns.Keys)}.");
            }

            if (value.IsMapping)
            {
                value.Keys(numeric ? ["min", "max", "top_percent"] : []);
                var top = value.Optional("top_percent")?.Number(0.001, 100);
                if (top is not null && column != "total_cost")
                {
                    throw value.Error("top_percent applies to total_cost only.");
                }

                conditions.Add(new SegmentCondition(column, [], value.Optional("min")?.Number(-1e12, 1e12), value.Optional("max")?.Number(-1e12, 1e12), top));
                continue;
            }

            var values = value.Items().Select(v => SegmentValues.TryGetValue(column, out var allowed) ? v.OneOf(allowed)
                : numeric ? v.Int().ToString(System.Globalization.CultureInfo.InvariantCulture)
                : column is "district" ? v.Text() : v.Bool() ? "true" : "false").ToList();
            conditions.Add(new SegmentCondition(column, values, null, null, null));
        }

        return conditions.Count > 0 ? new SegmentSpec(previous, conditions) : throw node.Error("needs at least one person_year condition, e.g. efi_category: [moderate, severe].");
    }
}
