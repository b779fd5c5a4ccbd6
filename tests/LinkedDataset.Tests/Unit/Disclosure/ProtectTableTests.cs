using FluentAssertions;
using LinkedDataset.Pipeline.Disclosure;
using Xunit;

namespace LinkedDataset.Tests.Unit.Disclosure;

public sealed class ProtectTableTests
{
    private static readonly string[] Abc = ["A", "B", "C"];

    // True counts              Rounded (base 5)        Protected (S = suppressed)
    //      A   B   C             A   B   C               A   B   C  | total
    // r1   3  20  42             5  20  40               S   S  40  |  65*
    // r2  15  12  30            15  10  30               S   S  30  |  55*
    // r3  50  61   9            50  60  10              50  60  10  | 120
    //                                           total   70* 90* 80  | 240*
    // Primary: r1A (3). Row r1 then has one suppression ⇒ its smallest other cell r1B (20).
    // Column A has one ⇒ r2A (15); column B has one ⇒ r2B (12). Now every line has 0 or 2.
    private static CountTable Worked() =>
        CountTable.FromRows(["r1", "r2", "r3"], Abc, [3, 20, 42], [15, 12, 30], [50, 61, 9]);

    [Fact]
    public void ProtectTable_HandWorkedExample()
    {
        var t = DisclosureControl.ProtectTable(Worked(), SdcPolicy.Default);

        Cells(t).Should().BeEquivalentTo(new long?[,] { { null, null, 40 }, { null, null, 30 }, { 50, 60, 10 } });
        t.RowTotals.Should().Equal(new ProtectedTotal(65, true), new ProtectedTotal(55, true), new ProtectedTotal(120, false));
        t.ColumnTotals.Should().Equal(new ProtectedTotal(70, true), new ProtectedTotal(90, true), new ProtectedTotal(80, false));
        t.GrandTotal.Should().Be(new ProtectedTotal(240, true));
        t.PrimarySuppressions.Should().Be(1);
        t.SecondarySuppressions.Should().Be(3);
        t.ToTextRows()[1].Should().Equal("r1", "[REDACTED]", "[REDACTED]", "40", "65*");
        t.Describe().Should().Contain("counts 1-7 suppressed");
    }

    [Fact]
    public void ProtectTable_SuppressedCellCannotBeRecoveredByDifferencing()
    {
        var t = DisclosureControl.ProtectTable(Worked(), SdcPolicy.Default);

        // Differencing r1's total gives only the sum of two hidden cells: 65 − 40 = 25.
        (t.RowTotals[0].Value - t[0, 2]).Should().Be(25);

        // Every assignment of multiples of 5 to the hidden cells that fits all released totals:
        var solutions = Attack(t, SdcPolicy.Default.RoundTo);
        solutions.Should().HaveCountGreaterThan(1);
        solutions.Select(s => s[(0, 0)]).Distinct().Should().HaveCountGreaterThan(1, "the small cell r1A is not determined");
        solutions.Any(s => s[(0, 0)] == 5).Should().BeTrue("the truth is among the solutions");
    }

    [Fact]
    public void ProtectTable_WithoutSecondarySuppression_TheSmallCellWouldBeRecoverable()
    {
        // The same attack on the table as primary suppression alone would release it: cells rounded,
        // only r1A (3) hidden, every total released. Row r1 gives 65 − 20 − 40 = 5 and column A gives
        // 70 − 15 − 50 = 5: exactly one solution, the hidden cell. So the attack is real, and its
        // failure on the protected table (above) is the work of secondary suppression.
        var t = DisclosureControl.ProtectTable(Worked(), SdcPolicy.Default);
        var rounded = new long?[,] { { null, 20, 40 }, { 15, 10, 30 }, { 50, 60, 10 } };
        var primaryOnly = new Released(rounded, t.RowTotals.Select(x => x.Value).ToArray(), t.ColumnTotals.Select(x => x.Value).ToArray(), t.GrandTotal.Value);

        var solutions = Attack(primaryOnly, SdcPolicy.Default.RoundTo);

        solutions.Should().ContainSingle().Which[(0, 0)].Should().Be(5, "the small cell is recovered exactly");
    }

    [Fact]
    public void ProtectTable_OneRowTable_WithholdsColumnTotalsThatEqualHiddenCells()
    {
        // [3, 10, 20]: 3 is primary; the row needs a second suppression ⇒ 10.
        // Each column holds a single cell, so its total would reveal it: withheld.
        var t = DisclosureControl.ProtectTable(CountTable.FromRows(["r"], Abc, [3, 10, 20]), SdcPolicy.Default);

        Cells(t).Should().BeEquivalentTo(new long?[,] { { null, null, 20 } });
        t.RowTotals.Single().Should().Be(new ProtectedTotal(35, true)); // 5 + 10 + 20; 35 − 20 = 15 is a sum of two
        t.ColumnTotals.Select(c => c.Value).Should().Equal(null, null, 20);
        t.GrandTotal.Value.Should().Be(35);
    }

    [Fact]
    public void ProtectTable_SingleCellTable_WithholdsEverything_WhenSmall()
    {
        var t = DisclosureControl.ProtectTable(CountTable.FromRows(["r"], ["c"], [4]), SdcPolicy.Default);
        t[0, 0].Should().BeNull();
        t.RowTotals.Single().Value.Should().BeNull();
        t.ColumnTotals.Single().Value.Should().BeNull();
        t.GrandTotal.Value.Should().BeNull();
    }

    [Fact]
    public void ProtectTable_WithholdsAllTotals_WhenACellIsABridgeBetweenSuppressionCycles()
    {
        // Small cells (s) in two 2×2 blocks joined by r0c2, with large counts elsewhere:
        //      c0 c1 c2 c3 c4
        // r0    s  s  s 40 40
        // r1    s  s 40 40 40
        // r2   40 40  s  s 40
        // r3   40 40  s  s 40
        // Every line has 0 or ≥2 suppressions, yet (r0 + r1) − (c0 + c1) totals isolate r0c2.
        var table = CountTable.FromRows(
            ["r0", "r1", "r2", "r3"],
            ["c0", "c1", "c2", "c3", "c4"],
            [2, 3, 4, 40, 40],
            [5, 6, 40, 40, 40],
            [40, 40, 3, 4, 40],
            [40, 40, 5, 6, 40]);

        // Hidden parts of the totals if all were released (total − released cells, rounded values):
        // r0: 5+5+5 = 15, r1: 5+5 = 10, c0: 5+5 = 10, c1: 5+5 = 10 ⇒ (15 + 10) − (10 + 10) = 5 = r0c2.
        var naive = (15 + 10) - (10 + 10);
        naive.Should().Be(5, "with all totals released the bridge cell's rounded value would be recovered");

        var t = DisclosureControl.ProtectTable(table, SdcPolicy.Default);
        t.RowTotals.Should().OnlyContain(x => x.Value == null);
        t.ColumnTotals.Should().OnlyContain(x => x.Value == null);
        t.GrandTotal.Value.Should().BeNull();
        t.PrimarySuppressions.Should().Be(9);
    }

    [Fact]
    public void ProtectTable_ReleasesUnchangedRoundedTable_WhenNothingIsSmall()
    {
        var t = DisclosureControl.ProtectTable(CountTable.FromRows(["a", "b"], ["x", "y"], [0, 12], [8, 103]), SdcPolicy.Default);
        Cells(t).Should().BeEquivalentTo(new long?[,] { { 0, 10 }, { 10, 105 } });
        t.RowTotals.Should().Equal(new ProtectedTotal(10, false), new ProtectedTotal(115, false));
        t.ColumnTotals.Should().Equal(new ProtectedTotal(10, false), new ProtectedTotal(115, false));
        t.GrandTotal.Should().Be(new ProtectedTotal(125, false));
        t.PrimarySuppressions.Should().Be(0);
        t.SecondarySuppressions.Should().Be(0);
    }

    [Fact]
    public void ProtectTable_FollowsConfiguredPolicy()
    {
        // Threshold 10, base 10: 9 and 10 are small; r1 then needs a second suppression (25) and so on.
        var t = DisclosureControl.ProtectTable(
            CountTable.FromRows(["r1", "r2"], ["x", "y", "z"], [9, 25, 60], [10, 33, 70]),
            new SdcPolicy(10, 10));
        Cells(t).Should().BeEquivalentTo(new long?[,] { { null, null, 60 }, { null, null, 70 } });
        t.RowTotals[0].Should().Be(new ProtectedTotal(10 + 30 + 60, true)); // 9→10, 25→30 (halves up), 60
        t.Describe().Should().StartWith("counts 1-10 suppressed; other counts rounded to the nearest 10");
    }

    [Fact]
    public void ProtectTable_Invariants_HoldOnRandomTables()
    {
        var random = new Random(20240611);
        var policy = SdcPolicy.Default;
        for (var n = 0; n < 300; n++)
        {
            int rows = random.Next(1, 6), columns = random.Next(1, 6);
            var counts = new long[rows, columns];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    counts[r, c] = random.Next(4) == 0 ? random.Next(0, 8) : random.Next(0, 200);
                }
            }

            var table = new CountTable(Enumerable.Range(0, rows).Select(i => $"r{i}").ToArray(), Enumerable.Range(0, columns).Select(i => $"c{i}").ToArray(), counts);
            var t = DisclosureControl.ProtectTable(table, policy);

            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    if (t[r, c] is { } v)
                    {
                        v.Should().NotBeInRange(1, 7);
                        (v % 5).Should().Be(0);
                    }
                }
            }

            CheckLines(rows, columns, (i, j) => t[i, j], t.RowTotals);
            CheckLines(columns, rows, (i, j) => t[j, i], t.ColumnTotals);
            if (t.GrandTotal.Value is { } g)
            {
                t.RowTotals.Where(x => x.Value.HasValue).Sum(x => x.Value!.Value).Should().BeLessThanOrEqualTo(g);
            }
        }

        static void CheckLines(int lines, int length, Func<int, int, long?> cell, IReadOnlyList<ProtectedTotal> totals)
        {
            for (var i = 0; i < lines; i++)
            {
                var hidden = Enumerable.Range(0, length).Count(j => cell(i, j) is null);
                var released = Enumerable.Range(0, length).Sum(j => cell(i, j) ?? 0);
                totals[i].IncludesSuppressed.Should().Be(hidden > 0);
                if (hidden == 1)
                {
                    totals[i].Value.Should().BeNull("a total with exactly one hidden cell would reveal it");
                }

                if (totals[i].Value is { } total)
                {
                    if (hidden == 0)
                    {
                        total.Should().Be(released, "totals are consistent with the released cells");
                    }
                    else
                    {
                        total.Should().BeGreaterThanOrEqualTo(released, "hidden cells add their rounded values");
                    }
                }
            }
        }
    }

    private static long?[,] Cells(ProtectedTable t)
    {
        var cells = new long?[t.Rows, t.Columns];
        for (var r = 0; r < t.Rows; r++)
        {
            for (var c = 0; c < t.Columns; c++)
            {
                cells[r, c] = t[r, c];
            }
        }

        return cells;
    }

    /// <summary>What a reader sees of a table: cells (null = suppressed) and totals (null = withheld).</summary>
    private sealed record Released(long?[,] Cells, long?[] RowTotals, long?[] ColumnTotals, long? GrandTotal)
    {
        public int Rows => Cells.GetLength(0);

        public int Columns => Cells.GetLength(1);

        public long? this[int r, int c] => Cells[r, c];

        public static Released From(ProtectedTable t) =>
            new(ProtectTableTests.Cells(t), t.RowTotals.Select(x => x.Value).ToArray(), t.ColumnTotals.Select(x => x.Value).ToArray(), t.GrandTotal.Value);
    }

    private static List<Dictionary<(int, int), long>> Attack(ProtectedTable t, int step) => Attack(Released.From(t), step);

    /// <summary>
    /// Brute force: every assignment of non-negative multiples of <paramref name="step"/> to the
    /// suppressed cells that agrees with every released total.
    /// </summary>
    private static List<Dictionary<(int, int), long>> Attack(Released t, int step)
    {
        var hidden = new List<(int R, int C)>();
        for (var r = 0; r < t.Rows; r++)
        {
            for (var c = 0; c < t.Columns; c++)
            {
                if (t[r, c] is null)
                {
                    hidden.Add((r, c));
                }
            }
        }

        var max = t.GrandTotal ?? 1000;
        var solutions = new List<Dictionary<(int, int), long>>();
        var values = new long[hidden.Count];
        Search(0);
        return solutions;

        void Search(int k)
        {
            if (k == hidden.Count)
            {
                if (Fits())
                {
                    solutions.Add(hidden.Select((h, i) => (h, values[i])).ToDictionary(x => x.h, x => x.Item2));
                }

                return;
            }

            for (long v = 0; v <= max; v += step)
            {
                values[k] = v;
                Search(k + 1);
            }
        }

        bool Fits()
        {
            long Value(int r, int c)
            {
                var i = hidden.IndexOf((r, c));
                return i >= 0 ? values[i] : t[r, c]!.Value;
            }

            for (var r = 0; r < t.Rows; r++)
            {
                if (t.RowTotals[r] is { } total && Enumerable.Range(0, t.Columns).Sum(c => Value(r, c)) != total)
                {
                    return false;
                }
            }

            for (var c = 0; c < t.Columns; c++)
            {
                if (t.ColumnTotals[c] is { } total && Enumerable.Range(0, t.Rows).Sum(r => Value(r, c)) != total)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
