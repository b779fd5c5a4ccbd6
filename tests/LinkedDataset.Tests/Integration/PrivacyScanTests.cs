using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration;

/// <summary>
/// Looks for every identifier the synthetic extracts carried (NHS numbers, names, dates of birth,
/// postcodes, UPRNs) and for the key, in everything a run writes outside landing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public partial class PrivacyScanTests(EndToEndFixture run)
{
    private static readonly string[] IdentityColumns = ["nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "uprn"];

    [Fact]
    public void NoParquetFileWrittenByTheRun_HoldsAnIdentifierOrAnIdentityColumn()
    {
        var identifiers = Identifiers(run.Layout.Landing, out var dates);
        var files = ParquetOutsideLanding();
        files.Should().Contain(f => f.Contains("snapshots")).And.Contain(f => f.Contains("staging")).And.Contain(f => f.Contains("linkage"));

        using var db = DuckDb.OpenInMemory();
        var found = new List<string>();
        foreach (var file in files)
        {
            foreach (var (column, type) in Columns(db, file))
            {
                IdentityColumns.Should().NotContain(column, $"{file} must not carry identity columns");

                // Every column, whatever its type, as text: an NHS number or UPRN kept as a BIGINT is
                // still an identifier. Dates of birth are looked for in text columns only: a DATE
                // column holds activity dates, and a baby's first contact falls on its birthday.
                var isText = type == "VARCHAR";
                foreach (var value in Values(db, file, column))
                {
                    if (identifiers.Contains(value) || (isText && dates.Contains(value)))
                    {
                        found.Add($"{Path.GetFileName(file)}:{column}");
                        break;
                    }
                }
            }
        }

        found.Should().BeEmpty("no identifier may leave staging");
    }

    [Fact]
    public void TheRunLogAndReports_HoldNoIdentifierAndNoKeyMaterial()
    {
        var identifiers = Identifiers(run.Layout.Landing, out var dates);
        var key = File.ReadAllBytes(run.KeyFile);
        var keyForms = new[] { Convert.ToHexStringLower(key), Convert.ToHexString(key), Convert.ToBase64String(key) };
        var texts = Directory.EnumerateFiles(run.Layout.Root, "*", SearchOption.AllDirectories)
            // PNG charts and screenshots are compressed pixels: random bytes can spell a name, and their text is in the SVG and HTML beside them, which are scanned.
            .Where(f => !f.StartsWith(run.Layout.Landing, StringComparison.Ordinal) && !f.EndsWith(".parquet", StringComparison.Ordinal) && !f.EndsWith(".png", StringComparison.Ordinal))
            .ToList();
        texts.Should().Contain(run.LogFile);
        File.ReadAllText(run.LogFile).Should().NotBeEmpty();

        foreach (var file in texts)
        {
            var text = File.ReadAllText(file);
            var words = Words().Matches(text).Select(m => m.Value).ToHashSet();
            words.Where(w => identifiers.Contains(w) || dates.Contains(w)).Should().BeEmpty($"{file} must hold counts and ids only");
            keyForms.Should().NotContain(k => text.Contains(k, StringComparison.Ordinal), $"{file} must not hold the key");
        }
    }

    /// <summary>Every identity value in the landing files, as written and normalised (postcodes without spaces, NHS numbers as digits).</summary>
    internal static HashSet<string> Identifiers(string landing, out HashSet<string> datesOfBirth)
    {
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, $"""
            CREATE TABLE ids AS SELECT DISTINCT nhs_number, given_name, family_name, date_of_birth, postcode, uprn
            FROM read_csv({Sql.Path(Path.Combine(landing, "*", "*.csv"))}, header = true, all_varchar = true, union_by_name = true)
            """);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in new[] { "nhs_number", "given_name", "family_name", "postcode", "uprn" })
        {
            values.UnionWith(Values(db, null, column, $"SELECT DISTINCT {column} FROM ids WHERE {column} IS NOT NULL"));
        }

        values.UnionWith(values.Select(v => v.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)).ToList());

        // Names as match tokens normalise them before hashing (upper case, letters only: O'Brien-Smyth
        // is OBRIENSMYTH): a normalised name that escaped unhashed is as identifying as the original.
        foreach (var column in new[] { "given_name", "family_name" })
        {
            values.UnionWith(Values(db, null, column, $"SELECT DISTINCT {column} FROM ids WHERE {column} IS NOT NULL")
                .Select(n => new string(n.Where(char.IsLetter).ToArray()).ToUpperInvariant()).Where(n => n.Length >= 3));
        }

        // Synthetic family names that are also words the outputs use for other things cannot be told apart
        // by a word scan: the area (Kent), methods and conventions (Wilson interval, Green Book), prices,
        // maxima, hospital wards, chart colours. They are left out; every other name is still looked for.
        string[] vocabulary = ["Kent", "Medway", "Wilson", "Green", "Price", "Max", "Ward", "Walker", "Gray"];
        values.ExceptWith(vocabulary.Concat(vocabulary.Select(w => w.ToUpperInvariant())));
        values.Count.Should().BeGreaterThan(1000, "the scan needs the synthetic identities to look for");
        // A birth date on the 1st of a month reads the same as a period start in measures (2025-10-01): those are left out.
        datesOfBirth = Values(db, null, "date_of_birth", "SELECT DISTINCT date_of_birth FROM ids WHERE date_of_birth IS NOT NULL AND NOT ends_with(date_of_birth, '-01')").ToHashSet(StringComparer.Ordinal);
        return values;
    }

    private List<string> ParquetOutsideLanding() =>
        Directory.EnumerateFiles(run.Layout.Root, "*.parquet", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(run.Layout.Landing, StringComparison.Ordinal)).ToList();

    private static List<(string Name, string Type)> Columns(DuckDBConnection db, string file)
    {
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Path(file)}))";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    private static List<string> Values(DuckDBConnection db, string? file, string column, string? sql = null)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql ?? $"SELECT DISTINCT CAST({Sql.Identifier(column)} AS VARCHAR) FROM read_parquet({Sql.Path(file!)}) WHERE {Sql.Identifier(column)} IS NOT NULL";
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    // Words, digit runs, dates and postcodes as they would appear in text.
    [GeneratedRegex(@"[A-Za-z][A-Za-z'\-]*|\d{4}-\d{2}-\d{2}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d+")]
    internal static partial Regex Words();
}
