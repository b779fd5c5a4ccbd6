using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>How a table cell is highlighted (a closed set, so every report colours status the same way).</summary>
public enum CellTone
{
    /// <summary>No highlight.</summary>
    None,

    /// <summary>As expected (green).</summary>
    Good,

    /// <summary>Needs a look (amber).</summary>
    Warning,

    /// <summary>Missing (light red).</summary>
    Missing,

    /// <summary>Failed or refused (red).</summary>
    Bad,
}

/// <summary>A table cell with a highlight and a tooltip; a plain value in a row is a cell with neither.</summary>
/// <param name="Value">What the cell shows (formatted by <see cref="ReportTable.Format"/>).</param>
/// <param name="Tone">Its highlight.</param>
/// <param name="Tooltip">Text shown on hover.</param>
public sealed record ReportCell(object? Value, CellTone Tone = CellTone.None, string? Tooltip = null);

/// <summary>
/// A table for a report: column names and rows of values (numbers, text, or <see cref="ReportCell"/>s).
/// A column whose every non-empty value is a number, or text that reads as one (<c>1,234</c>,
/// <c>12.5%</c>, <c>£3.2m</c>, <c>&lt;8</c>, <c>–</c>), is right-aligned. Numbers are written with the
/// invariant culture: integers as they are, others to 4 significant decimals. Pass years, codes and ids
/// as text.
/// </summary>
public sealed partial record ReportTable
{
    /// <summary>A table; every row must have one value per column.</summary>
    public ReportTable(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Count == 0)
        {
            throw new ArgumentException("A report table needs at least one column.", nameof(columns));
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != columns.Count)
            {
                throw new ArgumentException($"Row {i + 1} of table '{caption ?? string.Join(", ", columns)}' has {rows[i].Count} values; the table has {columns.Count} columns.", nameof(rows));
            }
        }

        Columns = columns;
        Rows = rows;
        Caption = caption;
    }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows of values, one per column.</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }

    /// <summary>Caption shown above the table, if any.</summary>
    public string? Caption { get; }

    /// <summary>A table of <paramref name="items"/>, one row each, with a column per (name, value) pair.</summary>
    public static ReportTable From<T>(IEnumerable<T> items, params (string Column, Func<T, object?> Value)[] columns) =>
        new(columns.Select(c => c.Column).ToList(), items.Select(item => (IReadOnlyList<object?>)columns.Select(c => c.Value(item)).ToList()).ToList());

    /// <summary>A copy with a caption.</summary>
    public ReportTable WithCaption(string caption) => new(Columns, Rows, caption);

    /// <summary>True when every non-empty value in column <paramref name="index"/> is a number or reads as one.</summary>
    public bool IsNumericColumn(int index)
    {
        var any = false;
        foreach (var row in Rows)
        {
            var value = row[index] is ReportCell cell ? cell.Value : row[index];
            if (value is null || value is string { Length: 0 })
            {
                continue;
            }

            if (!IsNumeric(value))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>How a value is shown: invariant culture; integers whole; other numbers to 4 decimals (tiny ones in e-notation); null as empty.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        ReportCell cell => Format(cell.Value),
        string s => s,
        double d when double.IsNaN(d) => "",
        double d => d.ToString(Math.Abs(d) < 0.0001 && d != 0 ? "0.###e+0" : "0.####", CultureInfo.InvariantCulture),
        float f => Format((double)f),
        decimal m => m.ToString("0.####", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool IsNumeric(object value) => value switch
    {
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => true,
        System.Numerics.BigInteger => true,
        string s => NumberLike().IsMatch(s.Trim()),
        _ => false,
    };

    // A number as people write it in a table: optional comparison or currency, thousands commas,
    // decimals, a unit suffix (%, k, m, bn, x); or a dash/asterisk standing for suppressed or none.
    [GeneratedRegex(@"^([<>≤≥~≈]?\s?[-+−]?[£$€]?\d[\d,]*(\.\d+)?(e[-+]?\d+)?\s?(%|k|m|bn|x)?|[–—*-]|n/a)$", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();
}
