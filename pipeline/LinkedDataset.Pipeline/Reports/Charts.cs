using ScottPlot;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>
/// The one chart module: every chart in a report or notebook starts from <see cref="NewPlot"/>
/// (shared fonts, colours and grid) and ends with <see cref="From"/>. Analysis code adds its own
/// plottables (bars, funnels, fans, waterfalls, love plots, event studies) in between.
/// </summary>
public static class Charts
{
    /// <summary>The font every chart uses; DejaVu ships with Debian (<c>fonts-dejavu-core</c>), which <c>.ci/run</c> installs.</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>Default chart size in pixels.</summary>
    public const int DefaultWidth = 800, DefaultHeight = 400;

    /// <summary>Series colours, in order (colour-blind-safe Tableau 10 family, as the report CSS).</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Colour for a value that needs attention (amber), as the report's warning cells.</summary>
    public static Color Warning { get; } = Color.FromHex("#e6a700");

    /// <summary>Colour for a failure (red), as the report's bad cells.</summary>
    public static Color Bad { get; } = Color.FromHex("#c0392b");

    /// <summary>The n-th series colour (wraps round the palette).</summary>
    public static Color Series(int index) => Color.FromHex(Palette[((index % Palette.Count) + Palette.Count) % Palette.Count]);

    /// <summary>A styled, empty plot with its title and axis labels.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Add.Palette = new ScottPlot.Palettes.Category10();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Font.Set(FontName);
        plot.Axes.Title.Label.FontSize = 16;
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Grid.MajorLineColor = Color.FromHex("#e6e6e6");
        plot.Axes.Color(Color.FromHex("#444444"));
        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> at the given size into a <see cref="Chart"/>.</summary>
    public static Chart From(Plot plot, int width = DefaultWidth, int height = DefaultHeight) => new(plot, width, height);

    /// <summary>
    /// Labels category positions 0..n-1 on the bottom axis with <paramref name="labels"/> (bar charts
    /// of months, feeds, groups), rotated when there are many so they do not overlap.
    /// </summary>
    public static void CategoryLabels(Plot plot, IReadOnlyList<string> labels)
    {
        var ticks = labels.Select((label, i) => new Tick(i, label)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (labels.Count > 8 || labels.Any(l => l.Length > 10))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 12 + (7 * labels.Max(l => l.Length)); // room for the slanted labels under the axis title
        }

        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
    }

    /// <summary>
    /// Stacked bars, one bar per category (positions 0..n-1, labelled), one coloured segment per
    /// series, with a legend. <paramref name="series"/> values are per category, in category order.
    /// </summary>
    public static void StackedBars(Plot plot, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var bars = new List<Bar>();
        var tops = new double[categories.Count];
        for (var s = 0; s < series.Count; s++)
        {
            if (series[s].Values.Count != categories.Count)
            {
                throw new ArgumentException($"Series '{series[s].Name}' has {series[s].Values.Count} values for {categories.Count} categories.", nameof(series));
            }

            for (var c = 0; c < categories.Count; c++)
            {
                var value = series[s].Values[c];
                bars.Add(new Bar { Position = c, ValueBase = tops[c], Value = tops[c] + value, FillColor = Series(s), LineWidth = 0 });
                tops[c] += value;
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = Series(s) });
        }

        plot.Add.Bars(bars);
        CategoryLabels(plot, categories);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
    }
}
