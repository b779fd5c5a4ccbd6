using System.Security.Cryptography;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>
/// Reads a cohort definition file into a <see cref="CohortDefinition"/>. Every value is checked
/// here against a closed vocabulary (settings, feeds and their code sets, person_year columns,
/// codelists) so the SQL built from it needs no user text but parameters. The file format, with a
/// worked example per feature, is in <c>docs/analyst.md</c>.
/// </summary>
public static class CohortParser
{
    /// <summary>Parses and validates <paramref name="path"/>; errors name the file, line and field.</summary>
    public static CohortDefinition Load(string path)
    {
        var root = Yaml.LoadFields(path);
        root.Keys("name", "description", "population", "index", "rules", "exit", "variables", "costs");
        var name = root.Required("name", "e.g. name: frail-75-plus").Slug();
        var population = Population(root.Required("population", "e.g. population: { registered_on: data_end - 12 months }"));
        var index = Index(root.Required("index", "e.g. index: { date: 2025-04-01 }"));
        var rules = root.Optional("rules")?.Items().Select(Rule).ToList() ?? [];
        foreach (var duplicate in rules.GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            throw root.Required("rules").Error($"two rules are named '{duplicate.Key}'; rule names must differ (they name attrition rows).");
        }

        var exit = root.Optional("exit") is { } e ? Exit(e) : new ExitSpec(null);
        var variables = root.Optional("variables")?.Items().Select(Variable).ToList() ?? [];
        foreach (var duplicate in variables.GroupBy(v => v.Name).Where(g => g.Count() > 1))
        {
            throw root.Required("variables").Error($"two variables are named '{duplicate.Key}'.");
        }

        DayWindow? costs = null;
        if (root.Optional("costs") is { } c)
        {
            c.Keys("window");
            costs = CriterionParser.Window(c.Required("window", "e.g. window: { from: 0, to: 364 }"));
        }

        return new CohortDefinition(
            name, root.Optional("description")?.Text() ?? "", population, index, rules, exit, variables, costs,
            Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    /// <summary>Reads a population block (shared with measure files, which have no registration dates).</summary>
    public static PopulationSpec Population(YamlField node, bool registration = true)
    {
        string[] demographic = ["age", "sex", "district", "lsoa", "imd_quintile", "practice"];
        node.Keys(registration ? ["registered_on", "registered_between", .. demographic] : demographic);
        DateSpec from, to;
        if (!registration)
        {
            from = to = new DateSpec(null, "data_end");
        }
        else if (node.Optional("registered_on") is { } on)
        {
            from = to = on.Date();
        }
        else if (node.Optional("registered_between") is { } between)
        {
            between.Keys("from", "to");
            (from, to) = (between.Required("from").Date(), between.Required("to").Date());
        }
        else
        {
            throw node.Error("needs registered_on: DATE or registered_between: { from: DATE, to: DATE }.");
        }

        int? min = null, max = null;
        if (node.Optional("age") is { } age)
        {
            age.Keys("min", "max");
            min = age.Optional("min")?.Int(0, 120);
            max = age.Optional("max")?.Int(0, 120);
            if (min > max)
            {
                throw age.Error($"min ({min}) is above max ({max}).");
            }
        }

        var sex = node.Optional("sex")?.Items().Select(s => s.OneOf(["female", "male", "indeterminate", "not known"])).ToList() ?? [];
        var quintiles = node.Optional("imd_quintile")?.Items().Select(q => q.Int(1, 5)).ToList() ?? [];
        List<string> Texts(string key) => node.Optional(key)?.Items().Select(i => i.FreeText()).ToList() ?? [];
        return new PopulationSpec(from, to, min, max, sex, Texts("district"), Texts("lsoa"), quintiles, Texts("practice"));
    }

    private static IndexSpec Index(YamlField node)
    {
        node.Keys("date", "first", "last", "between");
        if (node.Optional("date") is { } date)
        {
            return new IndexSpec(date.Date(), null);
        }

        var first = node.Optional("first");
        var last = node.Optional("last");
        if ((first is null) == (last is null))
        {
            throw node.Error("needs date: DATE, or first: / last: an event (activity, codes or event) with between: { from, to }.");
        }

        var between = node.Required("between", "the period the index event is looked for in, e.g. between: { from: data_start, to: data_end }");
        between.Keys("from", "to");
        var source = CriterionParser.Source(first ?? last!);
        return new IndexSpec(null, new IndexEvent(first is not null, source, between.Required("from").Date(), between.Required("to").Date()));
    }

    private static CohortRule Rule(YamlField node)
    {
        node.Keys("name", "include", "exclude");
        var name = node.Required("name").Text();
        var include = node.Optional("include");
        var exclude = node.Optional("exclude");
        if ((include is null) == (exclude is null))
        {
            throw node.Error($"rule '{name}' needs exactly one of include: or exclude:.");
        }

        return new CohortRule(name, exclude is not null, CriterionParser.Criterion(include ?? exclude!, requireWindow: true));
    }

    private static ExitSpec Exit(YamlField node)
    {
        node.Keys("follow_up_days");
        return new ExitSpec(node.Optional("follow_up_days")?.Int(1, 36_500));
    }

    private static VariableSpec Variable(YamlField node)
    {
        if (!node.IsMapping)
        {
            var builtin = node.OneOf(VariableSpec.Builtins.Keys.ToList());
            return new VariableSpec(builtin, true, "builtin", null);
        }

        node.Keys("name", "count", "has");
        var name = node.Required("name").Slug().Replace('-', '_');
        if (VariableSpec.Builtins.ContainsKey(name) || name is "person_id" or "index_date" or "exit_date" or "exit_reason" or "follow_up_days" || name.StartsWith("cost_", StringComparison.Ordinal))
        {
            throw node.Required("name").Error($"'{name}' is a built-in or reserved column name; choose another.");
        }

        var count = node.Optional("count");
        var has = node.Optional("has");
        if ((count is null) == (has is null))
        {
            throw node.Error($"variable '{name}' needs exactly one of count: or has: (a criterion).");
        }

        var criterion = CriterionParser.Criterion(count ?? has!, requireWindow: true);
        if (count is not null && criterion.Source is null)
        {
            throw count.Error("count: needs an event criterion (activity, codes or event), not segment or death.");
        }

        return new VariableSpec(name, false, count is not null ? "count" : "has", criterion);
    }
}
