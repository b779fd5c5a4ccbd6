using System.Security.Cryptography;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Analysis.Measures;

/// <summary>What a measure counts in its numerator.</summary>
public enum NumeratorKind
{
    /// <summary>People registered on the interval's first day with at least one event in it (a proportion).</summary>
    People,
    /// <summary>Events in the interval of people registered on its first day (a rate per population).</summary>
    Events,
    /// <summary>Events while at risk (registered and alive) in the interval, per person-years at risk (exits by death and deregistration count).</summary>
    PersonTime,
}

/// <summary>A measure file, parsed and validated (<see cref="MeasureParser"/>). Holds no SQL.</summary>
/// <param name="Name">Output folder name.</param>
/// <param name="Description">For the report.</param>
/// <param name="Population">Demographic filters (age at the interval start, sex, area, practice).</param>
/// <param name="Kind">What the numerator counts.</param>
/// <param name="Source">The events.</param>
/// <param name="Unit"><c>month</c>, <c>quarter</c> or <c>financial_year</c>.</param>
/// <param name="From">First interval starts in the unit containing this date.</param>
/// <param name="To">Last interval is the one containing this date.</param>
/// <param name="GroupBy">Up to two grouping variables.</param>
/// <param name="Standardise">Directly age-standardise to the European Standard Population 2013.</param>
/// <param name="Per">Rates per this many people or person-years.</param>
/// <param name="PracticeComparison">Also compare practices: indirectly standardised ratios with funnel limits.</param>
/// <param name="SourcePath">The file.</param>
/// <param name="FileHash">SHA-256 of the file.</param>
public sealed record MeasureDefinition(
    string Name, string Description, PopulationSpec Population, NumeratorKind Kind, EventSource Source, string Unit, DateSpec From, DateSpec To,
    IReadOnlyList<string> GroupBy, bool Standardise, double Per, bool PracticeComparison, string SourcePath, string FileHash)
{
    /// <summary>Grouping variables and their SQL over the person <c>p</c> and the at-risk row <c>r</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Groups = new Dictionary<string, string>
    {
        ["sex"] = "CASE p.sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'other' END",
        ["imd_quintile"] = "coalesce(CAST(p.imd_quintile AS VARCHAR), 'unknown')",
        ["district"] = "coalesce(p.district, 'unknown')",
        ["practice"] = "coalesce(r.practice_code, 'unknown')",
        ["age_band"] = "r.age_band",
    };
}

/// <summary>Reads measure files; errors name the file, line and field.</summary>
public static class MeasureParser
{
    /// <summary>Parses and validates <paramref name="path"/>.</summary>
    public static MeasureDefinition Load(string path)
    {
        var root = Yaml.LoadFields(path);
        root.Keys("name", "description", "population", "numerator", "intervals", "group_by", "standardise", "per", "practice_comparison");
        var population = root.Optional("population") is { } pop ? CohortParser.Population(pop, registration: false)
            : new PopulationSpec(new DateSpec(null, "data_end"), new DateSpec(null, "data_end"), null, null, [], [], [], [], []);
        var numerator = root.Required("numerator", "e.g. numerator: { kind: person_time, activity: { setting: apc_emergency } }");
        numerator.Keys("kind", "activity", "codes", "event");
        var kind = numerator.Required("kind", "people, events or person_time").OneOf(["people", "events", "person_time"]) switch
        {
            "people" => NumeratorKind.People,
            "events" => NumeratorKind.Events,
            _ => NumeratorKind.PersonTime,
        };
        var intervals = root.Required("intervals", "e.g. intervals: { unit: month, from: data_start, to: data_end }");
        intervals.Keys("unit", "from", "to");
        var groups = root.Optional("group_by")?.Items().Select(g => g.OneOf(MeasureDefinition.Groups.Keys.ToList())).ToList() ?? [];
        if (groups.Count > 2)
        {
            throw root.Required("group_by").Error($"at most two grouping variables; there are {groups.Count}.");
        }

        var standardise = root.Optional("standardise")?.OneOf(["esp2013", "none"]) == "esp2013";
        if (standardise && groups.Contains("age_band"))
        {
            throw root.Required("standardise").Error("an age-standardised rate cannot also be grouped by age_band.");
        }

        return new MeasureDefinition(
            root.Required("name").Slug(), root.Optional("description")?.Text() ?? "", population, kind, CriterionParser.Source(numerator),
            intervals.Required("unit").OneOf(["month", "quarter", "financial_year"]), intervals.Required("from").Date(), intervals.Required("to").Date(),
            groups, standardise, root.Optional("per")?.Number(1, 1_000_000) ?? 1000, root.Optional("practice_comparison")?.Bool() ?? false,
            Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }
}
