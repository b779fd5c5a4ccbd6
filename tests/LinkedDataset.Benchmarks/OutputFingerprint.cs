using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;

namespace LinkedDataset.Benchmarks;

/// <summary>
/// A short hash of a result, printed by the cohort benchmark so that runs before and after a change to the SQL can be
/// compared on the same data: identical outputs print identical fingerprints. Doubles are hashed to 3 decimals, as the
/// measure and cohort CSVs release them, because sums of doubles differ in the last bits with the order they are added.
/// </summary>
internal static class OutputFingerprint
{
    /// <summary>The fingerprint of a query's rows (the query must order them).</summary>
    public static string OfQuery(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return Of(rows);
    }

    /// <summary>The fingerprint of rows of values.</summary>
    public static string Of(IEnumerable<IEnumerable<object?>> rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        foreach (var row in rows)
        {
            count++;
            var text = string.Join("|", row.Select(Format)) + "\n";
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        return $"{count} rows {Convert.ToHexString(hash.GetHashAndReset())[..12]}";
    }

    private static string Format(object? value) => value switch
    {
        null => "∅",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.###", CultureInfo.InvariantCulture),
        decimal m => ((double)m).ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
