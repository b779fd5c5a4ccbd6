namespace LinkedDataset.Pipeline.Common;

/// <summary>Where the data shipped with the program (schemas, reference data) is found.</summary>
public static class ProjectPaths
{
    /// <summary>
    /// The <c>schemas/</c> folder copied beside the running program. <c>LDP_SCHEMAS</c> overrides
    /// it, so a deployment can point at an edited copy without rebuilding.
    /// </summary>
    public static string SchemasRoot =>
        Environment.GetEnvironmentVariable("LDP_SCHEMAS") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(AppContext.BaseDirectory, "schemas");

    public static string FeedSchemas => Path.Combine(SchemasRoot, "feeds");

    public static string Reference => Path.Combine(SchemasRoot, "reference");
}
