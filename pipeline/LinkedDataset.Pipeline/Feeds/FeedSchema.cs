namespace LinkedDataset.Pipeline.Feeds;

/// <summary>The type a feed column is cast to in staging.</summary>
public enum ColumnType
{
    /// <summary>Free text (VARCHAR).</summary>
    String,
    /// <summary>A value from a closed code set listed in the schema (VARCHAR).</summary>
    Code,
    /// <summary>Whole number (BIGINT).</summary>
    Integer,
    /// <summary>Decimal number (DECIMAL(18,2)), e.g. a cost in pounds.</summary>
    Decimal,
    /// <summary>Calendar date written <c>YYYY-MM-DD</c> (DATE).</summary>
    Date,
    /// <summary>Date and time written <c>YYYY-MM-DD HH:MM[:SS]</c> (TIMESTAMP).</summary>
    Timestamp,
    /// <summary>Y or N (BOOLEAN).</summary>
    Flag,
}

/// <summary>One column of a feed, as declared in <c>schemas/feeds/*.yaml</c>.</summary>
public sealed record FeedColumn(
    string Name,
    ColumnType Type,
    bool Required,
    string Description,
    IReadOnlyDictionary<string, string>? Codes,
    bool IsIdentity)
{
    /// <summary>Smallest allowed value of a number column (schema <c>min</c>), e.g. 0 for a cost or a length of stay; a smaller value is <c>out_of_range</c>.</summary>
    public decimal? Minimum { get; init; }

    /// <summary>Largest allowed value of a number column (schema <c>max</c>); a larger value is <c>out_of_range</c>.</summary>
    public decimal? Maximum { get; init; }

    /// <summary>Most characters a text column may hold (schema <c>max_length</c>); a longer value is <c>too_long</c>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The DuckDB type a valid value of this column is cast to.</summary>
    public string DuckDbType => Type switch
    {
        ColumnType.Integer => "BIGINT",
        ColumnType.Decimal => "DECIMAL(18,2)",
        ColumnType.Date => "DATE",
        ColumnType.Timestamp => "TIMESTAMP",
        ColumnType.Flag => "BOOLEAN",
        _ => "VARCHAR",
    };
}

/// <summary>
/// A feed's schema: the single source of truth for its columns, types, required-ness, code sets
/// and descriptions. Staging, the synthetic generator and the data dictionary all read it.
/// </summary>
public sealed record FeedSchema(
    string Feed,
    string Title,
    string Standard,
    string OneRowIs,
    string RecordId,
    string ActivityDate,
    string? EndDate,
    IReadOnlyList<FeedColumn> Columns)
{
    /// <summary>Version of the schema file (content hash), recorded with each staged extract.</summary>
    public string Version { get; init; } = "";

    public FeedColumn Column(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new PipelineSchemaException($"Feed '{Feed}' has no column '{name}'.");

    /// <summary>The feed's own columns: everything but the shared identity contract.</summary>
    public IEnumerable<FeedColumn> ContentColumns => Columns.Where(c => !c.IsIdentity);

    public IEnumerable<FeedColumn> IdentityColumns => Columns.Where(c => c.IsIdentity);
}

/// <summary>A schema file is missing, malformed or inconsistent.</summary>
public sealed class PipelineSchemaException(string message) : Common.PipelineException(message);
