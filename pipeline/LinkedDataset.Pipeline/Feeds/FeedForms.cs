using LinkedDataset.Pipeline.Common;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LinkedDataset.Pipeline.Feeds;

/// <summary>The form a feed's extracts arrive in.</summary>
public enum FeedForm
{
    /// <summary>Identity columns as the provider holds them; the pipeline pseudonymises on arrival (trusted third party).</summary>
    Identifiable,

    /// <summary>Pseudonymised at source by <c>ldp pseudonymise</c>; the pipeline checks the key id and never sees an identifier.</summary>
    Pseudonymised,
}

/// <summary>
/// Which form each feed is delivered in, from <c>schemas/feed_forms.yaml</c>
/// (<c>default:</c> plus <c>feeds: {feed: identifiable | pseudonymised}</c>). Without the file,
/// every feed is identifiable.
/// </summary>
public sealed record FeedForms(FeedForm Default, IReadOnlyDictionary<string, FeedForm> Feeds)
{
    public const string FileName = "feed_forms.yaml";

    private static readonly Lazy<FeedForms> Shipped = new(() => Load());

    /// <summary>Every feed identifiable.</summary>
    public static FeedForms AllIdentifiable { get; } = new(FeedForm.Identifiable, new Dictionary<string, FeedForm>());

    /// <summary>The shipped configuration (<see cref="ProjectPaths.SchemasRoot"/>), read once per process.</summary>
    public static FeedForms Configured => Shipped.Value;

    public FeedForm FormOf(string feed) => Feeds.TryGetValue(feed, out var form) ? form : Default;

    /// <summary>Reads <paramref name="path"/> (default: <c>schemas/feed_forms.yaml</c>); a missing file means all identifiable.</summary>
    /// <exception cref="PipelineSchemaException">The file is malformed or names an unknown form.</exception>
    public static FeedForms Load(string? path = null)
    {
        path ??= Path.Combine(ProjectPaths.SchemasRoot, FileName);
        if (!File.Exists(path))
        {
            return AllIdentifiable;
        }

        FormsFile file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<FormsFile>(File.ReadAllText(path)) ?? new FormsFile();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PipelineSchemaException($"{path}: line {e.Start.Line}: {e.Message}");
        }

        return new FeedForms(
            Parse(path, "default", file.Default ?? "identifiable"),
            (file.Feeds ?? []).ToDictionary(f => f.Key, f => Parse(path, f.Key, f.Value)));
    }

    private static FeedForm Parse(string path, string feed, string value) =>
        Enum.TryParse<FeedForm>(value, ignoreCase: true, out var form) && !int.TryParse(value, out _)
            ? form
            : throw new PipelineSchemaException($"{path}: '{feed}' has form '{value}'; allowed: identifiable, pseudonymised.");

    private sealed class FormsFile
    {
        public string? Default { get; set; }
        public Dictionary<string, string>? Feeds { get; set; }
    }
}
