using System.Globalization;
using DuckDB.NET.Data;

namespace LinkedDataset.Tests.Support;

/// <summary>Small helpers tests share for reading DuckDB results and writing APC fixtures.</summary>
public static class TestQueries
{
    /// <summary>The header of a hand-written identifiable APC extract: the required content columns and the identity contract.</summary>
    public const string ApcHeader = "apcs_ident,provider_code,admission_date,discharge_date,admission_method,patient_classification,primary_diagnosis,treatment_function_code,nhs_number,given_name,family_name,date_of_birth,sex,postcode,uprn";

    /// <summary>Each result row as its values joined by '|' (invariant culture; null as empty).</summary>
    public static List<string> Rows(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
