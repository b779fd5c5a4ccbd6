using System.Security.Cryptography;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Feeds;

/// <summary>
/// Reads the feed schemas in <c>schemas/feeds/</c>. Each <c>FEED.yaml</c> declares the feed's own
/// columns; <c>_identity.yaml</c> declares the identity contract every feed shares, which is
/// appended to each feed that says <c>identity: true</c>.
/// </summary>
public static class FeedSchemaLoader
{
    /// <summary>The ten feeds of DESIGN.md, in the order they are staged (the hub first).</summary>
    public static readonly IReadOnlyList<string> FeedNames =
    [
        "pmi", "gp_event", "apc", "ae", "op", "community", "mental_health", "social_care", "telecare", "intervention",
    ];

    /// <summary>Loads every feed schema from <paramref name="folder"/> (default: the shipped one).</summary>
    public static IReadOnlyDictionary<string, FeedSchema> LoadAll(string? folder = null)
    {
        folder ??= ProjectPaths.FeedSchemas;
        var identity = LoadIdentity(folder);
        return FeedNames.ToDictionary(f => f, f => LoadFeed(folder, f, identity));
    }

    /// <summary>Loads one feed's schema.</summary>
    public static FeedSchema Load(string feed, string? folder = null)
    {
        folder ??= ProjectPaths.FeedSchemas;
        return LoadFeed(folder, feed, LoadIdentity(folder));
    }

    private static IReadOnlyList<FeedColumn> LoadIdentity(string folder)
    {
        var path = Path.Combine(folder, "_identity.yaml");
        var file = Yaml.Load<IdentityFile>(path);
        return file.Columns.Select(c => ToColumn(path, c, isIdentity: true)).ToList();
    }

    private static FeedSchema LoadFeed(string folder, string feed, IReadOnlyList<FeedColumn> identity)
    {
        var path = Path.Combine(folder, feed + ".yaml");
        var file = Yaml.Load<SchemaFile>(path);
        if (file.Feed != feed)
        {
            throw new PipelineSchemaException($"{path}: 'feed' says '{file.Feed}' but the file is named for '{feed}'.");
        }

        var columns = file.Columns.Select(c => ToColumn(path, c, isIdentity: false)).ToList();
        if (file.Identity)
        {
            columns.AddRange(identity);
        }

        var duplicate = columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PipelineSchemaException($"{path}: column '{duplicate.Key}' is declared twice.");
        }

        var schema = new FeedSchema(
            feed,
            Require(path, "title", file.Title),
            Require(path, "standard", file.Standard),
            Require(path, "one_row_is", file.OneRowIs),
            Require(path, "record_id", file.RecordId),
            Require(path, "activity_date", file.ActivityDate),
            file.EndDate,
            columns)
        {
            Version = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..12],
        };

        foreach (var named in new[] { schema.RecordId, schema.ActivityDate }.Concat(file.EndDate is null ? [] : [file.EndDate]))
        {
            if (columns.All(c => c.Name != named))
            {
                throw new PipelineSchemaException($"{path}: names column '{named}' but declares no such column.");
            }
        }

        return schema;
    }

    private static FeedColumn ToColumn(string path, ColumnFile c, bool isIdentity)
    {
        var name = Require(path, "columns[].name", c.Name);
        var type = c.Type;
        if (type == ColumnType.Code && (c.Codes is null || c.Codes.Count == 0))
        {
            throw new PipelineSchemaException($"{path}: column '{name}' is of type code but lists no codes.");
        }

        if ((c.Min is not null || c.Max is not null) && type is not (ColumnType.Integer or ColumnType.Decimal))
        {
            throw new PipelineSchemaException($"{path}: column '{name}' has min/max but is of type {type.ToString().ToLowerInvariant()}; ranges apply to integer and decimal columns.");
        }

        if (c.MaxLength is not null && (type is not (ColumnType.String or ColumnType.Code) || c.MaxLength < 1))
        {
            throw new PipelineSchemaException($"{path}: column '{name}' has max_length {c.MaxLength}; it must be at least 1, on a string or code column.");
        }

        if (c.Min is { } min && c.Max is { } max && min > max)
        {
            throw new PipelineSchemaException($"{path}: column '{name}' has min {min} above max {max}.");
        }

        return new FeedColumn(name, type, c.Required, Require(path, $"description of '{name}'", c.Description), c.Codes, isIdentity)
        {
            Minimum = c.Min, Maximum = c.Max, MaxLength = c.MaxLength,
        };
    }

    private static string Require(string path, string what, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new PipelineSchemaException($"{path}: '{what}' is missing.") : value.Trim();

    // YAML shapes (Common/Yaml checks fields, types and required-ness); mapped to the records above.
    private sealed record IdentityFile(IReadOnlyList<ColumnFile> Columns);

    private sealed record SchemaFile(
        string Feed,
        string Title,
        string Standard,
        string OneRowIs,
        string RecordId,
        string ActivityDate,
        IReadOnlyList<ColumnFile> Columns,
        string? EndDate = null,
        bool Identity = false);

    private sealed record ColumnFile(
        string Name, ColumnType Type, string Description, bool Required = false, Dictionary<string, string>? Codes = null,
        decimal? Min = null, decimal? Max = null, int? MaxLength = null);
}
