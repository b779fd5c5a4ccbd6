using LinkedDataset.Pipeline.Common;

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
    /// <exception cref="PipelineException">The file is malformed or names an unknown form.</exception>
    public static FeedForms Load(string? path = null)
    {
        path ??= Path.Combine(ProjectPaths.SchemasRoot, FileName);
        if (!File.Exists(path))
        {
            return AllIdentifiable;
        }

        var file = Yaml.Load<FormsFile>(path);
        return new FeedForms(file.Default, file.Feeds ?? new Dictionary<string, FeedForm>());
    }

    private sealed record FormsFile(FeedForm Default = FeedForm.Identifiable, Dictionary<string, FeedForm>? Feeds = null);
}
