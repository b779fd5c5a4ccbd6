// Dapper's AOT analyzers (active in this project since the ASP.NET Core reference) ask for Dapper.AOT; these tests use plain Dapper.
#pragma warning disable DAP005, DAP028

using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Unit.Marts;

/// <summary>
/// An in-memory DuckDB holding empty snapshot-shaped tables (person, registration, one per activity
/// feed with the schema's content columns) for hand-written rows, and the marts built from them.
/// Window: April 2024 to March 2026 (financial years 2024/25 and 2025/26).
/// </summary>
public sealed class MartTestDb : IDisposable
{
    public static readonly MartWindow Window = new(new DateOnly(2024, 4, 1), new DateOnly(2026, 3, 31));

    public MartTestDb()
    {
        Db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        DuckDb.Execute(Db, """
            CREATE TABLE person (person_id BIGINT, birth_month VARCHAR, sex VARCHAR, lsoa11cd VARCHAR, imd_decile INTEGER, imd_quintile INTEGER,
              district VARCHAR, practice_code VARCHAR, first_registered DATE, registered_until DATE, date_of_death DATE);
            CREATE TABLE registration (person_id BIGINT, registration_id VARCHAR, practice_code VARCHAR, registration_start_date DATE,
              registration_end_date DATE, date_of_death DATE);
            """);
        var schemas = FeedSchemaLoader.LoadAll();
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(f => f != "pmi"))
        {
            var columns = string.Join(", ", schemas[feed].ContentColumns.Select(c => $"{Sql.Identifier(c.Name)} {c.DuckDbType}"));
            DuckDb.Execute(Db, $"CREATE TABLE {feed} (person_id BIGINT, link_method VARCHAR, {columns})");
        }

        Reference.LoadInto(Db, null); // so a test can pick codes from the lists before building
    }

    public DuckDBConnection Db { get; }

    public MartReference Reference { get; } = MartReference.Load();

    /// <summary>A person registered since 2010 (to <paramref name="died"/> if given), IMD decile 3.</summary>
    public MartTestDb Person(long id, string birthMonth, string sex = "2", string? died = null)
    {
        var death = died is null ? "NULL" : $"DATE '{died}'";
        DuckDb.Execute(Db, $"""
            INSERT INTO person VALUES ({id}, '{birthMonth}', '{sex}', 'E01024000', 3, 2, 'Swale', 'G1', DATE '2010-01-01', {death}, {death});
            INSERT INTO registration VALUES ({id}, 'R{id}', 'G1', DATE '2010-01-01', {death}, {death});
            """);
        return this;
    }

    /// <summary>Inserts rows: <c>Insert("apc", "person_id, admission_date", "(1, DATE '2025-03-29')")</c>.</summary>
    public MartTestDb Insert(string table, string columns, params string[] rows)
    {
        DuckDb.Execute(Db, $"INSERT INTO {table} ({columns}) VALUES {string.Join(", ", rows)}");
        return this;
    }

    /// <summary>A coded GP event (SNOMED CT) on a date.</summary>
    public MartTestDb Code(long person, string snomed, string date) =>
        Insert("gp_event", "person_id, provider_code, event_id, event_date, event_type, snomedct_code",
            $"({person}, 'G1', 'E{Guid.NewGuid():N}', DATE '{date}', 'C', '{snomed}')");

    public MartTestDb Build()
    {
        MartsBuilder.BuildTables(Db, Window, Reference);
        return this;
    }

    public T One<T>(string sql) => Db.QuerySingle<T>(sql);

    public List<T> Many<T>(string sql) => Db.Query<T>(sql).AsList();

    public void Dispose() => Db.Dispose();
}
