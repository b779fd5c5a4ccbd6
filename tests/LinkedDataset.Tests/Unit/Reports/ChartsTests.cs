using FluentAssertions;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Reports;

public sealed class ChartsTests
{
    private static Chart MonthBars()
    {
        var plot = Charts.NewPlot("Rows per month", "month", "rows");
        plot.Add.Bars(new double[] { 120, 130, 90 });
        Charts.CategoryLabels(plot, ["2025-04", "2025-05", "2025-06"]);
        return Charts.From(plot, 600, 300);
    }

    [Fact]
    public void NewPlot_RendersHeadless_WithTitleLabelsAndTheSharedFont()
    {
        var chart = MonthBars();

        chart.Svg.Should().StartWith("<svg").And.Contain("width=\"600\"").And.Contain("height=\"300\"");
        chart.Svg.Should().Contain($"font-family=\"{Charts.FontName}\"");
        // ScottPlot draws text as positioned glyph runs; the category labels are there as text.
        chart.Svg.Should().Contain(">2025-05</text>");
        chart.Svg.Should().Contain("fill=\"#1F77B4\""); // first palette colour
    }

    [Fact]
    public void SavePngAndSvg_WriteFiles_AndTheSamePlotRendersTheSameBytes()
    {
        using var folder = new TempFolder();
        MonthBars().SavePng(folder.Combine("a.png"));
        MonthBars().SavePng(folder.Combine("b.png"));
        MonthBars().SaveSvg(folder.Combine("a.svg"));

        var png = File.ReadAllBytes(folder.Combine("a.png"));
        png.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        png.Length.Should().BeGreaterThan(2000, "a 600×300 chart with text is not a blank image");
        File.ReadAllBytes(folder.Combine("b.png")).Should().Equal(png);
        File.ReadAllText(folder.Combine("a.svg")).Should().Be(MonthBars().Svg + "\n");
    }

    [Fact]
    public void From_RefusesSizesTooSmallToRead()
    {
        var act = () => Charts.From(Charts.NewPlot("t", "x", "y"), 10, 300);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("width");
    }
}
