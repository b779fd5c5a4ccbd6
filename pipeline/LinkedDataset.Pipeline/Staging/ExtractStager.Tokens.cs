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

    /// <summary>Creates view <c>tokened</c>: <c>checked</c> plus every pseudonymised column (<see cref="PseudonymisedForm.Columns"/> but the derived ones).</summary>
    private static void CreateTokenedView(DuckDBConnection db, PseudonymKey key, IReadOnlySet<string> identity, IReadOnlySet<string> header, FeedForm form)
    {
        string[] tokens = [PseudonymisedForm.PersonToken, PseudonymisedForm.HouseholdToken, .. PseudonymisedForm.MatchTokenColumns];
        if (form == FeedForm.Pseudonymised)
        {
            // The tokens came with the file; a column it left out is empty.
            var absent = tokens.Where(c => !header.Contains(c)).Select(c => $", CAST(NULL AS VARCHAR) AS {Sql.Identifier(c)}");
            DuckDb.Execute(db, $"CREATE TEMP VIEW tokened AS SELECT c.*{string.Concat(absent)} FROM checked c");
            return;
        }

        using var pseudonymiser = new Pseudonymiser(key);
        var selected = tokens.ToDictionary(t => t, _ => "CAST(NULL AS VARCHAR)");
        var joins = new List<string>();
        void Map(string source, string keySql, IReadOnlyList<string> columns, Func<string, string?[]> hash)
        {
            if (!identity.Contains(source))
            {
                return;
            }

            var map = "map_" + source;
            joins.Add(TokenMap(db, map, keySql, columns, hash));
            foreach (var column in columns)
            {
                selected[column] = $"{map}.{Sql.Identifier(column)}";
            }
        }

        Map("nhs_number", "c.nhs_number", [PseudonymisedForm.PersonToken], v => [pseudonymiser.PersonToken(v)]);
        Map("uprn", "c.uprn", [PseudonymisedForm.HouseholdToken], v => [pseudonymiser.HouseholdToken(v)]);
        foreach (var part in MatchParts.Value)
        {
            Map(part.Source, part.KeySql, part.Columns, v => part.Tokens(pseudonymiser, v));
        }

        DuckDb.Execute(db, $"""
            CREATE TEMP VIEW tokened AS
            SELECT c.*, {string.Join(", ", tokens.Select(t => $"{selected[t]} AS {Sql.Identifier(t)}"))}
            FROM checked c {string.Join(" ", joins)}
            """);
    }

    /// <summary>
    /// Hashes each distinct non-empty <paramref name="keySql"/> of the passing rows into temp table
    /// <paramref name="map"/> (<c>k</c>, then <paramref name="columns"/>); returns the join that adds them.
    /// </summary>
    private static string TokenMap(DuckDBConnection db, string map, string keySql, IReadOnlyList<string> columns, Func<string, string?[]> hash)
    {
        DuckDb.Execute(db, $"CREATE TEMP TABLE {map} (k VARCHAR, {string.Join(", ", columns.Select(c => Sql.Identifier(c) + " VARCHAR"))})");
        // Buffered on purpose (as before): the appender below writes on the same connection, so every value is read first.
        var values = db.Query<string>($"SELECT DISTINCT {keySql} FROM checked c WHERE c.failure IS NULL AND {keySql} IS NOT NULL").AsList();

        using (var appender = db.CreateAppender(map))
        {
            foreach (var value in values)
            {
                var row = appender.CreateRow().AppendValue(value);
                foreach (var token in hash(value))
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

        return $"LEFT JOIN {map} ON {keySql} = {map}.k";
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

    private sealed record MatchPart(string Source, string KeySql, IReadOnlyList<string> Columns, Func<Pseudonymiser, string, string?[]> Tokens);
}
