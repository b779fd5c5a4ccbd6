// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>One person whose result differs from the expectation.</summary>
/// <param name="PersonId">The made-up person's id.</param>
/// <param name="Message">e.g. <c>person 3: expected in cohort, was excluded by rule 'no care home'</c>.</param>
public sealed record CohortTestDifference(long PersonId, string Message);

/// <summary>The outcome of a cohort test: how many people were checked and every difference.</summary>
public sealed record CohortTestResult(string CohortName, int People, IReadOnlyList<CohortTestDifference> Differences)
{
    /// <summary>True when every person came out as expected.</summary>
    public bool Passed => Differences.Count == 0;
}

/// <summary>
/// <c>ldp cohort test FILE</c>: builds a throwaway dataset from the made-up people of a sidecar (snapshot-shaped
/// tables in an in-memory DuckDB, marts built by the real <see cref="MartsBuilder"/>, then stated person_year
/// values applied), runs the real <see cref="CohortBuilder"/> on it and compares each person with the expectation.
/// </summary>
public static class CohortTester
{
    /// <summary>Runs the test file at <paramref name="path"/>.</summary>
    public static CohortTestResult Run(string path)
    {
        var test = CohortTestParser.Load(path);
        var definition = CohortParser.Load(test.CohortPath);
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        CreateTables(db);
        foreach (var person in test.People)
        {
            Insert(db, person);
        }

        MartsBuilder.BuildTables(db, new MartWindow(test.Data.Start, test.Data.End), MartReference.Load());
        foreach (var person in test.People)
        {
            foreach (var (column, value) in person.PersonYear)
            {
                DuckDb.Execute(db, $"UPDATE person_year SET {Sql.Identifier(column)} = TRY_CAST({Sql.Literal(value)} AS {TypeOf(db, column)}) WHERE person_id = {person.Id}");
            }
        }

        SandboxedSnapshot.LockDown(db, []);
        var build = CohortBuilder.Build(db, definition, test.Data);
        var differences = test.People.SelectMany(p => Compare(db, build, p)).ToList();
        return new CohortTestResult(definition.Name, test.People.Count, differences);
    }

    private static IEnumerable<CohortTestDifference> Compare(DuckDBConnection db, CohortBuild build, TestPerson person)
    {
        var outcome = Outcome(db, build, person.Id);
        var inCohort = outcome is null;
        if (person.Expect.InCohort && !inCohort)
        {
            yield return new(person.Id, $"person {person.Id}: expected in cohort, was {outcome}");
            yield break;
        }

        if (!person.Expect.InCohort && inCohort)
        {
            yield return new(person.Id, $"person {person.Id}: expected not in cohort{(person.Expect.ExcludedBy is { } rule ? $" (excluded by rule '{rule}')" : "")}, but was included");
            yield break;
        }

        if (!inCohort && person.Expect.ExcludedBy is { } expected && !outcome!.Contains($"'{expected}'", StringComparison.Ordinal))
        {
            yield return new(person.Id, $"person {person.Id}: expected excluded by rule '{expected}', was {outcome}");
        }

        if (!inCohort)
        {
            yield break;
        }

        var row = (IDictionary<string, object?>)db.QuerySingle($"SELECT * FROM ch_cohort WHERE person_id = {person.Id}");
        foreach (var (name, expectedValue) in person.Expect.Variables)
        {
            if (!row.TryGetValue(name, out var actual))
            {
                yield return new(person.Id, $"person {person.Id}: the cohort has no variable '{name}' (it has {string.Join(", ", row.Keys)})");
                continue;
            }

            var text = Format(actual);
            if (!string.Equals(text, expectedValue, StringComparison.OrdinalIgnoreCase))
            {
                yield return new(person.Id, $"person {person.Id}: variable {name} expected '{expectedValue}', was '{text}'");
            }
        }
    }

    /// <summary>Null when the person is in the cohort; otherwise why not, naming the rule.</summary>
    private static string? Outcome(DuckDBConnection db, CohortBuild build, long id)
    {
        if (DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ch_cohort WHERE person_id = {id}") > 0)
        {
            return null;
        }

        if (DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ch_base WHERE person_id = {id}") == 0)
        {
            return "not in the registered population";
        }

        if (DuckDb.Scalar<long>(db, $"SELECT count(*) FROM ch_flags WHERE person_id = {id}") == 0)
        {
            return "without an index event in the period";
        }

        // The entry that got furthest names the rule that finally removed the person.
        var step = DuckDb.Scalar<int>(db, $"SELECT max(first_failed) FROM ch_flags WHERE person_id = {id}");
        return $"excluded by rule '{build.Rules[step - 1]}'";
    }

    private static string Format(object? value) => value switch
    {
        null or DBNull => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string TypeOf(DuckDBConnection db, string column) =>
        db.QuerySingle<string>($"SELECT data_type FROM information_schema.columns WHERE table_name = 'person_year' AND column_name = {Sql.Literal(column)}");

    /// <summary>Snapshot-shaped empty tables: person, registration, and each activity feed with its schema's content columns.</summary>
    private static void CreateTables(DuckDBConnection db)
    {
        DuckDb.Execute(db, """
            CREATE TABLE person (person_id BIGINT, birth_month VARCHAR, sex VARCHAR, lsoa11cd VARCHAR, imd_decile INTEGER, imd_quintile INTEGER,
              district VARCHAR, practice_code VARCHAR, first_registered DATE, registered_until DATE, date_of_death DATE);
            CREATE TABLE registration (person_id BIGINT, registration_id VARCHAR, practice_code VARCHAR, registration_start_date DATE,
              registration_end_date DATE, date_of_death DATE);
            """);
        foreach (var (feed, schema) in FeedSchemaLoader.LoadAll().Where(f => f.Key != "pmi"))
        {
            var columns = string.Join(", ", schema.ContentColumns.Select(c => $"{Sql.Identifier(c.Name)} {c.DuckDbType}"));
            DuckDb.Execute(db, $"CREATE TABLE {feed} (person_id BIGINT, link_method VARCHAR, {columns})");
        }
    }

    private static void Insert(DuckDBConnection db, TestPerson p)
    {
        string D(DateOnly? d) => d is { } x ? CriterionSql.Date(x) : "NULL";
        string T(string? s) => s is null ? "NULL" : Sql.Literal(s);
        var decile = p.ImdQuintile is { } q ? (q * 2 - 1).ToString(CultureInfo.InvariantCulture) : "NULL";
        var end = p.RegisteredTo ?? p.Died;
        DuckDb.Execute(db, $"""
            INSERT INTO person VALUES ({p.Id}, {T(p.BirthMonth)}, {T(p.Sex)}, {T(p.Lsoa)}, {decile}, {p.ImdQuintile?.ToString(CultureInfo.InvariantCulture) ?? "NULL"},
              {T(p.District)}, {T(p.Practice)}, {D(p.RegisteredFrom)}, {D(end)}, {D(p.Died)});
            INSERT INTO registration VALUES ({p.Id}, 'R{p.Id}', {T(p.Practice)}, {D(p.RegisteredFrom)}, {D(end)}, {D(p.Died)});
            """);
        var schemas = FeedSchemaLoader.LoadAll();
        var n = 0;
        foreach (var e in p.Events)
        {
            var schema = schemas[e.Feed];
            var values = new Dictionary<string, string>(e.Columns.ToDictionary(c => c.Key, c => Sql.Literal(c.Value)))
            {
                [schema.ActivityDate] = CriterionSql.Date(e.Date),
                ["provider_code"] = "'TEST'",
            };
            values.TryAdd(schema.RecordId, Sql.Literal($"P{p.Id}E{++n}"));
            if (schema.EndDate is { } endColumn && e.Feed == "apc")
            {
                values.TryAdd(endColumn, CriterionSql.Date(e.Date.AddDays(1)));
            }

            var columns = values.Keys.ToList();
            var typed = columns.Select(c => $"TRY_CAST({values[c]} AS {schema.Column(c).DuckDbType})");
            DuckDb.Execute(db, $"INSERT INTO {e.Feed} (person_id, link_method, {string.Join(", ", columns.Select(Sql.Identifier))}) VALUES ({p.Id}, 'deterministic', {string.Join(", ", typed)})");
        }
    }
}
