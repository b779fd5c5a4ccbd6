namespace LinkedDataset.Pipeline.Disclosure;

/// <summary>An unprotected two-way table of counts (rows × columns), the input to <see cref="DisclosureControl.ProtectTable"/>.</summary>
public sealed class CountTable
{
    private readonly long[,] _counts;

    /// <summary>Creates a table; <paramref name="counts"/> is copied and must be rows × columns of non-negative counts.</summary>
    public CountTable(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != rowLabels.Count || counts.GetLength(1) != columnLabels.Count)
        {
            throw new ArgumentException(
                $"The counts are {counts.GetLength(0)} × {counts.GetLength(1)} but there are {rowLabels.Count} row labels and {columnLabels.Count} column labels.",
                nameof(counts));
        }

        foreach (var count in counts)
        {
            if (count < 0)
            {
                throw new ArgumentException("Counts must be 0 or more.", nameof(counts));
            }
        }

        RowLabels = rowLabels.ToArray();
        ColumnLabels = columnLabels.ToArray();
        _counts = (long[,])counts.Clone();
    }

    /// <summary>Row labels, one per row.</summary>
    public IReadOnlyList<string> RowLabels { get; }

    /// <summary>Column labels, one per column.</summary>
    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => RowLabels.Count;

    /// <summary>Number of columns.</summary>
    public int Columns => ColumnLabels.Count;

    /// <summary>The true count in a cell.</summary>
    public long this[int row, int column] => _counts[row, column];

    /// <summary>Builds a table from jagged rows (each the same length as <paramref name="columnLabels"/>).</summary>
    public static CountTable FromRows(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, params long[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counts = new long[rows.Length, columnLabels.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columnLabels.Count)
            {
                throw new ArgumentException($"Row {r} has {rows[r].Length} counts but there are {columnLabels.Count} columns.", nameof(rows));
            }

            for (var c = 0; c < rows[r].Length; c++)
            {
                counts[r, c] = rows[r][c];
            }
        }

        return new CountTable(rowLabels, columnLabels, counts);
    }
}
