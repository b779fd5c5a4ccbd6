namespace LinkedDataset.Pipeline.Disclosure;

public static partial class DisclosureControl
{
    /// <summary>
    /// Protects a two-way table of counts so that no count from 1 to the threshold is released
    /// or can be recovered by differencing a row or column total.
    /// </summary>
    /// <remarks>
    /// <list type="number">
    /// <item><b>Primary suppression</b>: cells with counts 1..threshold.</item>
    /// <item><b>Rounding</b>: every cell's count is rounded as in <see cref="ProtectCount"/>;
    /// released cells show that value.</item>
    /// <item><b>Secondary suppression</b>: any row or column with exactly one suppressed cell gets
    /// one more: its smallest released positive cell (a zero only if no positive cell is left;
    /// ties go to a cell whose other line also has exactly one suppression, then to the first),
    /// repeated over rows and columns until stable. Then every line has none or at least two
    /// suppressed cells, so differencing a total gives only a sum of two or more hidden values.</item>
    /// <item><b>Totals</b>: each row, column and grand total is the sum of the rounded values of
    /// all its cells, released and suppressed, so the released totals are consistent with each
    /// other and are at least the sum of the released cells; a total that includes suppressed
    /// cells is marked (<see cref="ProtectedTotal.IncludesSuppressed"/>). A line that has one
    /// suppressed cell and no other cell to suppress (a one-column or one-row table) has its
    /// total withheld; the grand total is withheld when exactly one row or one column total is.</item>
    /// <item><b>Audit</b>: a suppressed cell is still exactly recoverable from the totals when it
    /// is a bridge in the graph of suppressed cells (rows and columns as nodes) with all totals on
    /// one side released. If any cell is, every total is withheld (rare: it needs a line with three
    /// or more suppressed cells joining two separate groups).</item>
    /// </list>
    /// Released totals hold only rounded values, never true counts.
    /// </remarks>
    public static ProtectedTable ProtectTable(CountTable table, SdcPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(policy);
        int rows = table.Rows, columns = table.Columns;

        var rounded = new long[rows, columns];
        var suppressed = new bool[rows, columns];
        var primary = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var count = table[r, c];
                rounded[r, c] = Round(count, policy);
                if (count >= 1 && count <= policy.SuppressAtOrBelow)
                {
                    suppressed[r, c] = true;
                    primary++;
                }
            }
        }

        var secondary = SecondarySuppression(table, suppressed);

        // Lines left with exactly one suppressed cell had nothing else to suppress: withhold their totals.
        var rowWithheld = new bool[rows];
        var columnWithheld = new bool[columns];
        for (var r = 0; r < rows; r++)
        {
            rowWithheld[r] = CountInRow(suppressed, r) == 1;
        }

        for (var c = 0; c < columns; c++)
        {
            columnWithheld[c] = CountInColumn(suppressed, c) == 1;
        }

        var grandWithheld = rowWithheld.Count(w => w) == 1 || columnWithheld.Count(w => w) == 1;
        if (AnyCellRecoverable(suppressed, rowWithheld, columnWithheld))
        {
            Array.Fill(rowWithheld, true);
            Array.Fill(columnWithheld, true);
            grandWithheld = true;
        }

        var cells = new long?[rows, columns];
        var rowTotals = new ProtectedTotal[rows];
        var columnTotals = new ProtectedTotal[columns];
        long grand = 0;
        var grandHidden = false;
        for (var r = 0; r < rows; r++)
        {
            long sum = 0;
            var hidden = false;
            for (var c = 0; c < columns; c++)
            {
                cells[r, c] = suppressed[r, c] ? null : rounded[r, c];
                sum += rounded[r, c];
                hidden |= suppressed[r, c];
            }

            rowTotals[r] = new ProtectedTotal(rowWithheld[r] ? null : sum, hidden);
            grand += sum;
            grandHidden |= hidden;
        }

        for (var c = 0; c < columns; c++)
        {
            long sum = 0;
            var hidden = false;
            for (var r = 0; r < rows; r++)
            {
                sum += rounded[r, c];
                hidden |= suppressed[r, c];
            }

            columnTotals[c] = new ProtectedTotal(columnWithheld[c] ? null : sum, hidden);
        }

        return new ProtectedTable(
            table.RowLabels,
            table.ColumnLabels,
            cells,
            rowTotals,
            columnTotals,
            new ProtectedTotal(grandWithheld ? null : grand, grandHidden),
            primary,
            secondary,
            policy);
    }

    /// <summary>Adds suppressions until no row or column has exactly one suppressed cell (where another cell exists); returns how many were added.</summary>
    private static int SecondarySuppression(CountTable table, bool[,] suppressed)
    {
        int rows = table.Rows, columns = table.Columns;
        var added = 0;
        bool changed;
        do
        {
            changed = false;
            for (var r = 0; r < rows; r++)
            {
                if (CountInRow(suppressed, r) != 1)
                {
                    continue;
                }

                var best = -1;
                for (var c = 0; c < columns; c++)
                {
                    if (!suppressed[r, c] && (best < 0 || Better(table[r, c], CountInColumn(suppressed, c) == 1, table[r, best], CountInColumn(suppressed, best) == 1)))
                    {
                        best = c;
                    }
                }

                if (best >= 0)
                {
                    suppressed[r, best] = true;
                    added++;
                    changed = true;
                }
            }

            for (var c = 0; c < columns; c++)
            {
                if (CountInColumn(suppressed, c) != 1)
                {
                    continue;
                }

                var best = -1;
                for (var r = 0; r < rows; r++)
                {
                    if (!suppressed[r, c] && (best < 0 || Better(table[r, c], CountInRow(suppressed, r) == 1, table[best, c], CountInRow(suppressed, best) == 1)))
                    {
                        best = r;
                    }
                }

                if (best >= 0)
                {
                    suppressed[best, c] = true;
                    added++;
                    changed = true;
                }
            }
        }
        while (changed);

        return added;

        // Positive before zero; then smaller; then one that also fixes its other line.
        static bool Better(long count, bool fixesOther, long bestCount, bool bestFixesOther)
        {
            if ((count > 0) != (bestCount > 0))
            {
                return count > 0;
            }

            if (count != bestCount)
            {
                return count < bestCount;
            }

            return fixesOther && !bestFixesOther;
        }
    }

    /// <summary>
    /// True when some suppressed cell is a bridge of the suppression graph (rows and columns as
    /// nodes, suppressed cells as edges) and every total on one side of it is released: summing
    /// those totals' equations then gives the cell exactly.
    /// </summary>
    private static bool AnyCellRecoverable(bool[,] suppressed, bool[] rowWithheld, bool[] columnWithheld)
    {
        int rows = rowWithheld.Length, columns = columnWithheld.Length;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (!suppressed[r, c])
                {
                    continue;
                }

                suppressed[r, c] = false;
                var (fromRowRows, fromRowColumns) = Reach(suppressed, startRow: r, startColumn: -1);
                var bridge = !fromRowColumns[c];
                var recoverable = false;
                if (bridge)
                {
                    var (fromColumnRows, fromColumnColumns) = Reach(suppressed, startRow: -1, startColumn: c);
                    recoverable = AllReleased(fromRowRows, fromRowColumns, rowWithheld, columnWithheld)
                        || AllReleased(fromColumnRows, fromColumnColumns, rowWithheld, columnWithheld);
                }

                suppressed[r, c] = true;
                if (recoverable)
                {
                    return true;
                }
            }
        }

        return false;

        static bool AllReleased(bool[] inRows, bool[] inColumns, bool[] rowWithheld, bool[] columnWithheld)
        {
            for (var i = 0; i < inRows.Length; i++)
            {
                if (inRows[i] && rowWithheld[i])
                {
                    return false;
                }
            }

            for (var i = 0; i < inColumns.Length; i++)
            {
                if (inColumns[i] && columnWithheld[i])
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The rows and columns connected to a start node through suppressed cells.</summary>
    private static (bool[] Rows, bool[] Columns) Reach(bool[,] suppressed, int startRow, int startColumn)
    {
        int rows = suppressed.GetLength(0), columns = suppressed.GetLength(1);
        var seenRows = new bool[rows];
        var seenColumns = new bool[columns];
        var queue = new Queue<(bool IsRow, int Index)>();
        if (startRow >= 0)
        {
            seenRows[startRow] = true;
            queue.Enqueue((true, startRow));
        }
        else
        {
            seenColumns[startColumn] = true;
            queue.Enqueue((false, startColumn));
        }

        while (queue.TryDequeue(out var node))
        {
            if (node.IsRow)
            {
                for (var c = 0; c < columns; c++)
                {
                    if (suppressed[node.Index, c] && !seenColumns[c])
                    {
                        seenColumns[c] = true;
                        queue.Enqueue((false, c));
                    }
                }
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    if (suppressed[r, node.Index] && !seenRows[r])
                    {
                        seenRows[r] = true;
                        queue.Enqueue((true, r));
                    }
                }
            }
        }

        return (seenRows, seenColumns);
    }

    private static int CountInRow(bool[,] suppressed, int row)
    {
        var n = 0;
        for (var c = 0; c < suppressed.GetLength(1); c++)
        {
            n += suppressed[row, c] ? 1 : 0;
        }

        return n;
    }

    private static int CountInColumn(bool[,] suppressed, int column)
    {
        var n = 0;
        for (var r = 0; r < suppressed.GetLength(0); r++)
        {
            n += suppressed[r, column] ? 1 : 0;
        }

        return n;
    }
}
