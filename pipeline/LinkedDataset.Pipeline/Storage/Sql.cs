namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// Building SQL text where DuckDB cannot take a parameter: file paths in <c>read_csv</c>,
/// <c>read_parquet</c> and <c>COPY ... TO</c>, and identifiers taken from schema files.
/// Every such value passes through here, once.
/// </summary>
public static class Sql
{
    /// <summary>A string literal with single quotes doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A path literal: made absolute, forward slashes, quotes escaped.</summary>
    public static string Path(string path) => Literal(System.IO.Path.GetFullPath(path).Replace('\\', '/'));

    /// <summary>A list of path literals, e.g. for <c>read_parquet([...])</c>.</summary>
    public static string PathList(IEnumerable<string> paths) => "[" + string.Join(", ", paths.Select(Path)) + "]";

    /// <summary>A quoted identifier. Schema column names are checked to be snake_case before use.</summary>
    public static string Identifier(string name)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a snake_case identifier.", nameof(name));
        }

        return "\"" + name + "\"";
    }
}
