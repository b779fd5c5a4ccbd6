using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Marts;

/// <summary>
/// Where the large mart tables go while they are built. Without a folder (tests, the cohort tester, small
/// data) they are DuckDB tables. With a folder each is written straight to Parquet with <c>COPY</c> and read
/// back through a view of the same name, so a table of 50 million rows never sits in DuckDB's memory: later
/// steps read only the columns they need from the file.
/// </summary>
/// <remarks>
/// Times each statement into <see cref="Seconds"/> (by step name). With the environment variable
/// <c>LDP_MARTS_EXPLAIN</c> set to a folder, each statement runs as <c>EXPLAIN ANALYZE</c> and its profile is
/// written there as <c>&lt;step&gt;.txt</c> (a diagnostic for profiling at scale; the statement still runs).
/// </remarks>
internal sealed class MartSink(DuckDBConnection db, string? folder)
{
    private readonly string? explain = Environment.GetEnvironmentVariable("LDP_MARTS_EXPLAIN") is { Length: > 0 } e ? e : null;

    public DuckDBConnection Db { get; } = db;

    /// <summary>The folder Parquet tables are written to, or null when tables stay in DuckDB.</summary>
    public string? Folder { get; } = folder;

    /// <summary>Seconds per step, summed when a step runs more than once (e.g. once per month).</summary>
    public Dictionary<string, double> Seconds { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs statements (no result), timed as <paramref name="step"/>.</summary>
    public void Run(string step, string sql)
    {
        var clock = Stopwatch.StartNew();
        var trimmed = sql.TrimStart();
        if (explain is not null && !sql.TrimEnd().TrimEnd(';').Contains(';', StringComparison.Ordinal)
            && new[] { "CREATE", "COPY", "INSERT", "WITH", "SELECT" }.Any(k => trimmed.StartsWith(k, StringComparison.OrdinalIgnoreCase)))
        {
            Directory.CreateDirectory(explain);
            var plan = DuckDb.Query(Db, "EXPLAIN ANALYZE " + sql, r => r.GetString(1));
            File.AppendAllText(Path.Combine(explain, step + ".txt"), string.Join("\n", plan) + "\n");
        }
        else
        {
            DuckDb.Execute(Db, sql);
        }

        Seconds[step] = Seconds.GetValueOrDefault(step) + clock.Elapsed.TotalSeconds;
    }

    /// <summary>Table <paramref name="name"/> holding the rows of <paramref name="select"/>: in DuckDB, or one Parquet file and a view.</summary>
    public void Create(string step, string name, string select)
    {
        if (Folder is null)
        {
            Run(step, $"CREATE OR REPLACE TABLE {name} AS {select}");
            return;
        }

        var directory = Path.Combine(Folder, name);
        Reset(directory);
        Run(step, $"COPY ({select}) TO {Sql.Path(Path.Combine(directory, name + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
        DuckDb.Execute(Db, $"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(directory, "*.parquet"))})");
    }

    /// <summary>
    /// Table <paramref name="name"/> built one part at a time (a month, a year), so each part's aggregate is bounded
    /// by the part, not the whole: <paramref name="select"/> gives the rows of one part. In DuckDB the parts are
    /// inserted in order; in a folder each is its own Parquet file <c>&lt;name&gt;/&lt;part&gt;.parquet</c>.
    /// <paramref name="empty"/> is a select with the table's columns, for when there are no parts.
    /// </summary>
    public void CreateByPart(string step, string name, IReadOnlyList<string> parts, Func<string, string> select, string empty)
    {
        if (Folder is null)
        {
            Run(step, $"CREATE OR REPLACE TABLE {name} AS {empty} LIMIT 0");
            foreach (var part in parts)
            {
                Run(step, $"INSERT INTO {name} {select(part)}");
            }

            return;
        }

        var directory = Path.Combine(Folder, name);
        Reset(directory);
        if (parts.Count == 0)
        {
            Run(step, $"COPY ({empty} LIMIT 0) TO {Sql.Path(Path.Combine(directory, name + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
        }

        foreach (var part in parts)
        {
            Run(step, $"COPY ({select(part)}) TO {Sql.Path(Path.Combine(directory, part + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
        }

        DuckDb.Execute(Db, $"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(directory, "*.parquet"))})");
    }

    /// <summary>The Parquet files of <paramref name="name"/>'s part, for a later step to read one part only.</summary>
    public string PartSource(string name, string part) => Folder is null
        ? throw new InvalidOperationException("Parts are files only when the sink has a folder.")
        : $"read_parquet({Sql.Path(Path.Combine(Folder, name, part + ".parquet"))})";

    /// <summary>A month as a file name part: 2024-04.</summary>
    public static string MonthPart(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Deletes a scratch table's files (not part of the published marts).</summary>
    public void DeleteScratch(string name)
    {
        if (Folder is not null && Directory.Exists(Path.Combine(Folder, name)))
        {
            DuckDb.Execute(Db, $"DROP VIEW IF EXISTS {name}");
            Directory.Delete(Path.Combine(Folder, name), recursive: true);
        }
    }

    private static void Reset(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }
}
