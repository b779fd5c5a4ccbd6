using FluentAssertions;
using LinkedDataset.Pipeline.Reports;

namespace LinkedDataset.Tests.Unit.Reports;

public sealed class TimeAxisTests
{
    [Fact]
    public void MonthsBeforeTheWindow_AreTotalledByYear_MonthsWithinKeepTheirOwnBin()
    {
        // Latest month 2025-03, window 6 months: 2024-10 .. 2025-03 on their own. Before it:
        // 2019-05 → "2019"; 2024-02 and 2024-09 → "2024-01..09" (2024 is cut at the window start).
        var axis = TimeAxis.For(["2025-03", "2019-05", "2024-02", "2024-09", "2024-10", "2025-01", "2024-10"], windowMonths: 6);

        axis.Labels.Should().Equal("2019", "2024-01..09", "2024-10", "2025-01", "2025-03");
        axis.WindowStart.Should().Be("2024-10");
        axis.LabelOf("2024-02").Should().Be("2024-01..09");
        axis.LabelOf("2019-05").Should().Be("2019");
        axis.LabelOf("2025-01").Should().Be("2025-01");
    }

    [Fact]
    public void TwentyYearsOfMonths_BecomeAFewDozenBins()
    {
        // 2004-01 .. 2025-12 is 264 months; a 24-month window leaves 2004..2023 as 20 year bins + 24 months.
        var periods = Enumerable.Range(0, 264).Select(i => new DateOnly(2004, 1, 1).AddMonths(i).ToString("yyyy-MM"));

        var axis = TimeAxis.For(periods);

        axis.Labels.Should().HaveCount(44);
        axis.Labels[0].Should().Be("2004");
        axis.Labels[19].Should().Be("2023");
        axis.Labels[20].Should().Be("2024-01");
    }

    [Fact]
    public void ANonMonthPeriod_IsKeptAsItsOwnBinAtTheEnd()
    {
        TimeAxis.For(["2025-01", "unknown"]).Labels.Should().Equal("2025-01", "unknown");
    }
}
