using DuckDB.NET.Data;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>Resource limits for one DuckDB connection, so concurrent jobs fit the machine.</summary>
public sealed record DuckDbLimits(int Threads = 2, string MemoryLimit = "4GB")
{
    public static DuckDbLimits Default { get; } = new();
}

/// <summary>
/// Opens DuckDB connections the pipeline's way: in memory (each job its own), with explicit thread
/// and memory limits. A connection is never shared between threads.
/// </summary>
public static class DuckDb
{
    public static DuckDBConnection OpenInMemory(DuckDbLimits? limits = null)
    {
        limits ??= DuckDbLimits.Default;
        if (limits.Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.Threads, "DuckDB needs at least one thread.");
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {limits.Threads}; SET memory_limit = {Sql.Literal(limits.MemoryLimit)};");
        return connection;
    }

    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows mapped by hand, for results Dapper cannot map by column name (a variable run of columns into one array).</summary>
    public static List<T> Query<T>(DuckDBConnection db, string sql, Func<System.Data.Common.DbDataReader, T> map)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }
}
