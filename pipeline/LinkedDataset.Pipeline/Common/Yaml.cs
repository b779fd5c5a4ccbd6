using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LinkedDataset.Pipeline.Common;

/// <summary>
/// The one loader for every definition and settings file (feed schemas, linkage settings, data-quality
/// thresholds, feed forms, synthetic scenarios, evaluation specs, cohort and measure files). A file is read into a typed record or
/// class; anything wrong is a <see cref="PipelineException"/> naming the file, the line and the field
/// (<c>intervention.ae_rate_ratio</c>, <c>columns[3].type</c>): an unknown field (with the allowed
/// ones), a value of the wrong type, a missing required field, a duplicate key, or YAML that does not
/// parse. Field names are the members' names in snake_case (<c>OneRowIs</c> is <c>one_row_is</c>).
/// </summary>
/// <remarks>
/// Targets: a class with a parameterless constructor and settable (or <c>init</c>) properties, where
/// <c>required</c> members must be given; or a positional record, whose constructor parameters must be
/// given unless they have a default or a nullable type. Values: text, bool (<c>true</c>/<c>false</c>),
/// whole and decimal numbers, <c>DateOnly</c> (<c>YYYY-MM-DD</c>), enums (by name, case and
/// underscores ignored), lists, string-keyed dictionaries, and <c>object</c> (plain text, lists and
/// dictionaries, for shapes the caller interprets itself). A file with no content binds as an empty
/// mapping: defaults apply and required fields are reported missing.
/// </remarks>
public static partial class Yaml
{
    /// <summary>
    /// Reads the file at <paramref name="path"/> into a <typeparamref name="T"/>. With <paramref name="over"/>,
    /// the file overrides that instance: a field left out (at any depth) keeps its value there.
    /// </summary>
    /// <exception cref="PipelineException">The file is missing, unreadable, not YAML, or does not fit <typeparamref name="T"/>.</exception>
    public static T Load<T>(string path, T? over = default) => Parse(ReadText(path), path, over);

    /// <summary>
    /// Reads the file at <paramref name="path"/> as fields with their lines (<see cref="YamlField"/>), for a file whose
    /// shape is checked as it is read, or checks made after binding; errors name the file (without its folder), line and field.
    /// </summary>
    /// <exception cref="PipelineException">The file is missing, unreadable, not YAML, or not a mapping.</exception>
    public static YamlField LoadFields(string path)
    {
        var name = Path.GetFileName(path);
        var root = ReadRoot(ReadText(path), name);
        return root is YamlMappingNode
            ? YamlField.Root(name, root)
            : throw new PipelineException($"{name}: line {root.Start.Line}: the file must be a YAML mapping (name: ..., ...).");
    }

    private static string ReadText(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: file not found.");
        }

        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>Reads YAML <paramref name="text"/> into a <typeparamref name="T"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="PipelineException">The text is not YAML or does not fit <typeparamref name="T"/>.</exception>
    public static T Parse<T>(string text, string source = "(text)", T? over = default) =>
        (T)new Binder(source).Bind(ReadRoot(text, source), typeof(T), "", allowsNull: false, over)!;

    /// <summary>The one YAML document of <paramref name="text"/> (an empty mapping for no content); errors name <paramref name="source"/> and the line.</summary>
    private static YamlNode ReadRoot(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PipelineException($"{source}: line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {FirstLine(e)}");
        }

        if (stream.Documents.Count > 1)
        {
            throw new PipelineException($"{source}: holds {stream.Documents.Count} YAML documents (separated by '---'); give one.");
        }

        var root = stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode;
        return root is YamlScalarNode scalar && IsNull(scalar) ? new YamlMappingNode() : root;
    }

    private static string FirstLine(YamlException e)
    {
        var message = (e.InnerException as YamlException)?.Message ?? e.Message;
        var cut = message.IndexOfAny(['\r', '\n']);
        return (cut < 0 ? message : message[..cut]).Trim();
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
