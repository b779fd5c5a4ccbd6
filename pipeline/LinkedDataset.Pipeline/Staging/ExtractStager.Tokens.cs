using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// The tokens of an extract, joined to its rows once. Each distinct identity value (NHS number, UPRN,
/// given name, family name, date of birth, postcode) of the rows that pass is hashed once in .NET into
/// a small map table; view <c>tokened</c> joins the maps to table <c>checked</c> and is read by the
/// staged copy and the counts. Earlier, each token kind rewrote and re-sorted the whole table, and the
/// match tokens were hashed per (name, name, date, postcode) tuple: most of staging's time.
/// </summary>
public sealed partial class ExtractStager
{
    /// <summary>
    /// The match token columns each identity value decides, found by giving <see cref="Pseudonymiser.MatchTokens"/>
    /// one value at a time: every token depends on one identifier, so a row's tokens are the union of its values'.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<MatchPart>> MatchParts = new(FindMatchParts);

    /// <summary>
    /// Creates view <c>tokened</c>: <c>checked</c> plus every pseudonymised column (<see cref="PseudonymisedForm.Columns"/> but the derived ones).
    /// Returns the passing rows with a person token when the tokens were made here (counted from the NHS number map), else null.
    /// </summary>
    private static long? CreateTokenedView(DuckDBConnection db, PseudonymKey key, IReadOnlySet<string> identity, IReadOnlySet<string> header, FeedForm form)
    {
        string[] tokens = [PseudonymisedForm.PersonToken, PseudonymisedForm.HouseholdToken, .. PseudonymisedForm.MatchTokenColumns];
        if (form == FeedForm.Pseudonymised)
        {
            // The tokens came with the file; a column it left out is empty.
            var absent = tokens.Where(c => !header.Contains(c)).Select(c => $", CAST(NULL AS VARCHAR) AS {Sql.Identifier(c)}");
            DuckDb.Execute(db, $"CREATE TEMP VIEW tokened AS SELECT c.*{string.Concat(absent)} FROM checked c");
            return null;
        }

        using var pseudonymiser = new Pseudonymiser(key);
        var maps = new List<TokenMapPart>
        {
            new("nhs_number", "c.nhs_number", [PseudonymisedForm.PersonToken], v => [pseudonymiser.PersonToken(v)]),
            new("uprn", "c.uprn", [PseudonymisedForm.HouseholdToken], v => [pseudonymiser.HouseholdToken(v)]),
        };
        maps.AddRange(MatchParts.Value.Select(part => new TokenMapPart(part.Source, part.KeySql, part.Columns, v => part.Tokens(pseudonymiser, v))));
        maps = maps.Where(m => identity.Contains(m.Source)).ToList();

        var selected = tokens.ToDictionary(t => t, _ => "CAST(NULL AS VARCHAR)");
        foreach (var map in maps)
        {
            foreach (var column in map.Columns)
            {
                selected[column] = $"{map.Table}.{Sql.Identifier(column)}";
            }
        }

        var withToken = FillTokenMaps(db, maps);
        DuckDb.Execute(db, $"""
            CREATE TEMP VIEW tokened AS
            SELECT c.*, {string.Join(", ", tokens.Select(t => $"{selected[t]} AS {Sql.Identifier(t)}"))}
            FROM checked c {string.Join(" ", maps.Select(m => $"LEFT JOIN {m.Table} ON {m.KeySql} = {m.Table}.k"))}
            """);
        return withToken;
    }

    /// <summary>
    /// Hashes each distinct non-empty key of the passing rows, for every map, into its temp table (<c>k</c>, then
    /// the map's columns). One query reads the distinct keys of all maps, with their row counts; returns the
    /// passing rows whose NHS number has a person token (0 when there is no NHS number map).
    /// </summary>
    private static long FillTokenMaps(DuckDBConnection db, IReadOnlyList<TokenMapPart> maps)
    {
        if (maps.Count == 0)
        {
            return 0;
        }

        DuckDb.Execute(db, string.Concat(maps.Select(m =>
            $"CREATE TEMP TABLE {m.Table} (k VARCHAR, {string.Join(", ", m.Columns.Select(c => Sql.Identifier(c) + " VARCHAR"))});\n")));

        // Buffered on purpose (as before): the appenders below write on the same connection, so every value is read first.
        var keys = db.Query<(int Map, string Key, long Rows)>(string.Join("\nUNION ALL\n", maps.Select((m, i) =>
            $"SELECT {i} AS m, {m.KeySql} AS v, count(*) AS n FROM checked c WHERE c.failure IS NULL AND {m.KeySql} IS NOT NULL GROUP BY 2"))).AsList();

        var byMap = keys.ToLookup(k => k.Map);
        long withToken = 0;
        foreach (var (map, index) in maps.Select((m, i) => (m, i)))
        {
            using var appender = db.CreateAppender(map.Table);
            foreach (var (_, value, rows) in byMap[index])
            {
                var row = appender.CreateRow().AppendValue(value);
                var hashed = map.Hash(value);
                if (map.Source == "nhs_number" && hashed[0] is not null)
                {
                    withToken += rows;
                }

                foreach (var token in hashed)
                {
                    if (token is null)
                    {
                        row.AppendNullValue();
                    }
                    else
                    {
                        row.AppendValue(token);
                    }
                }

                row.EndRow();
            }
        }

        return withToken;
    }

    private static IReadOnlyList<MatchPart> FindMatchParts()
    {
        // The date of birth and the year of an impossible one travel together (one of the two is set):
        // the key keeps both, split again before hashing.
        var dobKey = $"CASE WHEN c.date_of_birth IS NOT NULL OR c.{DobYearOnly} IS NOT NULL THEN coalesce(CAST(c.{DobYearOnly} AS VARCHAR), '') || '|' || coalesce(c.date_of_birth, '') END";
        (string Source, string KeySql, Func<Pseudonymiser, string, MatchTokens> Tokens)[] parts =
        [
            ("given_name", "c.given_name", (p, v) => p.MatchTokens(v, null, null, null)),
            ("family_name", "c.family_name", (p, v) => p.MatchTokens(null, v, null, null)),
            ("date_of_birth", dobKey, (p, v) =>
            {
                var cut = v.IndexOf('|', StringComparison.Ordinal);
                int? year = cut > 0 ? int.Parse(v.AsSpan(0, cut), System.Globalization.CultureInfo.InvariantCulture) : null;
                return p.MatchTokens(null, null, PseudonymisedForm.ParseDateOfBirth(v[(cut + 1)..]), null, year);
            }),
            ("postcode", "c.postcode", (p, v) => p.MatchTokens(null, null, null, v)),
        ];

        // Which columns each part decides: those its own probe value fills (any real-looking value does).
        using var probe = new Pseudonymiser(PseudonymKey.FromBytes(new byte[32], "probe"));
        string[] probes = ["ANNE", "SMITH", "|1970-01-02", "ME1 1AA"];
        var found = parts.Select((part, i) =>
        {
            var values = PseudonymisedForm.Values(part.Tokens(probe, probes[i]));
            var indexes = values.Select((v, j) => (v, j)).Where(x => x.v is not null).Select(x => x.j).ToArray();
            return new MatchPart(part.Source, part.KeySql, indexes.Select(j => PseudonymisedForm.MatchTokenColumns[j]).ToList(),
                (p, v) => { var all = PseudonymisedForm.Values(part.Tokens(p, v)); return indexes.Select(j => all[j]).ToArray(); });
        }).ToList();

        var covered = found.SelectMany(p => p.Columns).ToList();
        if (covered.Count != covered.Distinct().Count() || !PseudonymisedForm.MatchTokenColumns.All(covered.Contains))
        {
            // A token made of two identifiers at once would need its own map: fail loudly rather than stage it empty.
            throw new InvalidOperationException("Each match token must depend on exactly one identity column for staging to hash values one at a time.");
        }

        return found;
    }

    /// <summary>One token map: the identity column it hashes, its key as SQL over <c>checked c</c>, the token columns it fills and how.</summary>
    private sealed record TokenMapPart(string Source, string KeySql, IReadOnlyList<string> Columns, Func<string, string?[]> Hash)
    {
        public string Table => "map_" + Source;
    }

    private sealed record MatchPart(string Source, string KeySql, IReadOnlyList<string> Columns, Func<Pseudonymiser, string, string?[]> Tokens);
}
