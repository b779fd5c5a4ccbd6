using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LinkedDataset.Pipeline.Common;

/// <summary>
/// One field of a file <see cref="Yaml"/> read (<see cref="Yaml.LoadFields"/>), with the file, the field path and the
/// line it came from, for files whose shape is checked as they are read (cohort, measure and cohort test files: a
/// criterion's fields depend on its kind) and for checks made after binding: every error a user sees names all three,
/// <c>frail.cohort.yaml: line 12: rules[1].include.at_least: must be a whole number 1 or more</c>. No value is ever
/// pasted into SQL by the reader.
/// </summary>
public sealed class YamlField
{
    private YamlField(string file, string path, YamlNode value)
    {
        File = file;
        Path = path;
        Value = value;
    }

    /// <summary>The file name (no folder) used in messages.</summary>
    public string File { get; }

    /// <summary>The field path, e.g. <c>rules[1].include.window.from</c>.</summary>
    public string Path { get; }

    /// <summary>The YAML node.</summary>
    public YamlNode Value { get; }

    /// <summary>The 1-based line of the node.</summary>
    public long Line => Value.Start.Line;

    /// <summary>The root of a parsed file, named <paramref name="file"/> in messages.</summary>
    internal static YamlField Root(string file, YamlNode root) => new(file, "", root);

    /// <summary>An error at this node: file, line, field and what is wrong.</summary>
    public PipelineException Error(string message) =>
        new($"{File}: line {Line}: {(Path.Length > 0 ? Path : "(top level)")}: {message}");

    /// <summary>The child <paramref name="key"/> of a mapping, or null when absent or written <c>null</c>/<c>~</c>.</summary>
    public YamlField? Optional(string key)
    {
        var map = Mapping();
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return IsNull(v) ? null : new YamlField(File, Child(key), v);
            }
        }

        return null;
    }

    /// <summary>The child <paramref name="key"/> of a mapping; its absence is an error naming the key.</summary>
    public YamlField Required(string key, string hint = "") =>
        Optional(key) ?? throw Error($"'{key}' is required{(hint.Length > 0 ? "; " + hint : "")}.");

    /// <summary>The keys of a mapping, checked against <paramref name="allowed"/>; an unknown key is an error at its own line.</summary>
    public IReadOnlyList<string> Keys(params string[] allowed)
    {
        var keys = new List<string>();
        foreach (var (k, _) in Mapping().Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            var at = new YamlField(File, Child(key), k);
            if (allowed.Length > 0 && !allowed.Contains(key))
            {
                throw at.Error($"unknown field '{key}'; allowed here: {string.Join(", ", allowed)}.");
            }

            keys.Add(key);
        }

        return keys;
    }

    /// <summary>The entries of a mapping in file order.</summary>
    public IEnumerable<(string Key, YamlField Value)> Entries() =>
        Mapping().Children.Select(kv => ((kv.Key as YamlScalarNode)?.Value ?? "", new YamlField(File, Child((kv.Key as YamlScalarNode)?.Value ?? ""), kv.Value)));

    /// <summary>The items of a sequence; a single scalar is read as a list of one (so <c>district: Swale</c> works).</summary>
    public IReadOnlyList<YamlField> Items()
    {
        if (Value is YamlSequenceNode seq)
        {
            return seq.Children.Select((n, i) => new YamlField(File, $"{Path}[{i + 1}]", n)).ToList();
        }

        if (Value is YamlScalarNode)
        {
            return [this];
        }

        throw Error("expected a list, e.g. [a, b].");
    }

    /// <summary>True when this node is a mapping.</summary>
    public bool IsMapping => Value is YamlMappingNode;

    /// <summary>A scalar as text.</summary>
    public string Text()
    {
        if (Value is not YamlScalarNode { Value: { } text })
        {
            throw Error("expected a single value, not a list or mapping.");
        }

        return text.Trim();
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int Int(int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Text();
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{text}' is not a whole number.");
        }

        if (value < min || value > max)
        {
            throw Error($"{value} is out of range; allowed {min} to {max}.");
        }

        return value;
    }

    /// <summary>A number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public double Number(double min, double max)
    {
        var text = Text();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error($"'{text}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    /// <summary><c>true</c>/<c>false</c> (also yes/no).</summary>
    public bool Bool() => Text().ToLowerInvariant() switch
    {
        "true" or "yes" => true,
        "false" or "no" => false,
        var t => throw Error($"'{t}' must be true or false."),
    };

    /// <summary>One of <paramref name="allowed"/> (case-sensitive, as written in the docs).</summary>
    public string OneOf(IReadOnlyCollection<string> allowed)
    {
        var text = Text();
        return allowed.Contains(text) ? text : throw Error($"'{text}' is not allowed; use one of: {string.Join(", ", allowed)}.");
    }

    /// <summary>A name made of lower-case letters, digits, '-' and '_' (it becomes a folder or column name).</summary>
    public string Slug()
    {
        var text = Text();
        return text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')
            ? text
            : throw Error($"'{text}' must be 1-64 lower-case letters, digits, '-' or '_'.");
    }

    /// <summary>A district, LSOA or practice code: letters, digits, spaces and <c>- ' . &amp;</c> only (it is compared with snapshot values).</summary>
    public string FreeText()
    {
        var text = Text();
        return text.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '\'' or '.' or '&')
            ? text
            : throw Error($"'{text}' is not a district, LSOA or practice code (letters, digits, spaces and - ' . & only).");
    }

    private YamlMappingNode Mapping() => Value as YamlMappingNode ?? throw Error("expected a mapping (field: value).");

    private string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
