using System.Globalization;

namespace LinkedDataset.Pipeline.Disclosure;

/// <summary>
/// A total in a protected table: the sum of the rounded values of every cell in its line
/// (released and suppressed), or null when withheld. <see cref="IncludesSuppressed"/> marks a
/// total that contains suppressed cells, so it is more than the sum of the released cells.
/// </summary>
/// <param name="Value">The total, or null when withheld.</param>
/// <param name="IncludesSuppressed">True when the total includes suppressed cells (shown with a marker, e.g. <c>*</c>).</param>
public sealed record ProtectedTotal(long? Value, bool IncludesSuppressed)
{
    /// <summary>The total as text: the number, with <c>*</c> when it includes suppressed cells; <paramref name="withheld"/> when withheld.</summary>
    public string Format(string withheld = "[REDACTED]") =>
        Value is { } v ? v.ToString(CultureInfo.InvariantCulture) + (IncludesSuppressed ? "*" : "") : withheld;
}

/// <summary>
/// The result of <see cref="DisclosureControl.ProtectTable"/>: released cells (rounded; null =
/// suppressed), row, column and grand totals, and the policy applied. It does not say which
/// suppressions were primary and which secondary (that would point at the small cells); it
/// gives only how many of each.
/// </summary>
public sealed class ProtectedTable
{
    private readonly long?[,] _cells;

    internal ProtectedTable(
        IReadOnlyList<string> rowLabels,
        IReadOnlyList<string> columnLabels,
        long?[,] cells,
        IReadOnlyList<ProtectedTotal> rowTotals,
        IReadOnlyList<ProtectedTotal> columnTotals,
        ProtectedTotal grandTotal,
        int primarySuppressions,
        int secondarySuppressions,
        SdcPolicy policy)
    {
        RowLabels = rowLabels;
        ColumnLabels = columnLabels;
        _cells = cells;
        RowTotals = rowTotals;
        ColumnTotals = columnTotals;
        GrandTotal = grandTotal;
        PrimarySuppressions = primarySuppressions;
        SecondarySuppressions = secondarySuppressions;
        Policy = policy;
    }

    /// <summary>Row labels.</summary>
    public IReadOnlyList<string> RowLabels { get; }

    /// <summary>Column labels.</summary>
    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => RowLabels.Count;

    /// <summary>Number of columns.</summary>
    public int Columns => ColumnLabels.Count;

    /// <summary>A released cell (rounded), or null when suppressed.</summary>
    public long? this[int row, int column] => _cells[row, column];

    /// <summary>Row totals, one per row.</summary>
    public IReadOnlyList<ProtectedTotal> RowTotals { get; }

    /// <summary>Column totals, one per column.</summary>
    public IReadOnlyList<ProtectedTotal> ColumnTotals { get; }

    /// <summary>The grand total.</summary>
    public ProtectedTotal GrandTotal { get; }

    /// <summary>How many cells were suppressed because their count was small.</summary>
    public int PrimarySuppressions { get; }

    /// <summary>How many further cells were suppressed so the small ones cannot be recovered from totals.</summary>
    public int SecondarySuppressions { get; }

    /// <summary>The policy applied.</summary>
    public SdcPolicy Policy { get; }

    /// <summary>The sentence an output file carries: the policy and how totals are shown.</summary>
    public string Describe() =>
        Policy.Describe() + "; totals are sums of rounded cells, marked * where they include suppressed cells";

    /// <summary>
    /// The table as text rows for CSV or display: a header row (<paramref name="corner"/>, column
    /// labels, "Total"), one row per table row with its total, and a "Total" row.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> ToTextRows(string corner = "", string suppressed = "[REDACTED]")
    {
        var rows = new List<IReadOnlyList<string>>(Rows + 2);
        rows.Add([corner, .. ColumnLabels, "Total"]);
        for (var r = 0; r < Rows; r++)
        {
            var row = new List<string>(Columns + 2) { RowLabels[r] };
            for (var c = 0; c < Columns; c++)
            {
                row.Add(_cells[r, c]?.ToString(CultureInfo.InvariantCulture) ?? suppressed);
            }

            row.Add(RowTotals[r].Format(suppressed));
            rows.Add(row);
        }

        rows.Add(["Total", .. ColumnTotals.Select(t => t.Format(suppressed)), GrandTotal.Format(suppressed)]);
        return rows;
    }
}
