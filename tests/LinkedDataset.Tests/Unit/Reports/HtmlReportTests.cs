using FluentAssertions;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Reports;

public sealed class HtmlReportTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Provenance TestProvenance() => new(
        "snap123", "1.0.0+abc", [new ProvenanceInput("codelist ltc", "ltc-gmsde.1"), new ProvenanceInput("seed", "42")],
        "counts 1-7 suppressed; other counts rounded to the nearest 5", Noon);

    [Fact]
    public void Text_IsEscaped_InTitleHeadingParagraphTableCaptionAndTooltip()
    {
        var report = new HtmlReport("A <b> & \"c\"", TestProvenance())
            .Heading("<script>alert(1)</script>")
            .Paragraph("x < y & z")
            .Table(new ReportTable(["<th>"], [[new ReportCell("<td>", CellTone.Warning, "\"quoted\" <tip>")]], "<cap>"));

        var html = report.ToHtml();

        html.Should().NotContain("<script").And.NotContain("<b>").And.NotContain("<cap>").And.NotContain("<tip>");
        html.Should().Contain("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>");
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.Should().Contain("<p>x &lt; y &amp; z</p>");
        html.Should().Contain("title=\"&quot;quoted&quot; &lt;tip&gt;\"");
    }

    [Fact]
    public void Table_RightAlignsNumericColumns_AndLeavesTextColumnsLeft()
    {
        // provider is text; rows are ints; rate is numbers-as-text including a suppressed "*";
        // period looks like a date, so it is text.
        var table = new ReportTable(
            ["provider", "period", "rows", "rate"],
            [["RVV", "2025-04", 1200, "12.5%"], ["RWF", "2025-05", 7, "*"]]);

        var html = new HtmlReport("t", TestProvenance()).Table(table).ToHtml();

        html.Should().Contain("<thead><tr><th>provider</th><th>period</th><th class=\"num\">rows</th><th class=\"num\">rate</th></tr></thead>");
        html.Should().Contain("<tr><td>RVV</td><td>2025-04</td><td class=\"num\">1200</td><td class=\"num\">12.5%</td></tr>");
        table.IsNumericColumn(0).Should().BeFalse();
        table.IsNumericColumn(1).Should().BeFalse();
    }

    [Fact]
    public void ToneCells_GetTheirClass_BesideTheNumericClass()
    {
        var html = new HtmlReport("t", TestProvenance())
            .Table(new ReportTable(["provider", "2025-04"], [["RVV", new ReportCell(10, CellTone.Bad, "refused")]]))
            .ToHtml();

        html.Should().Contain("<td class=\"num tone-bad\" title=\"refused\">10</td>");
    }

    [Fact]
    public void EmptyTable_SaysNoRows_InsteadOfAnEmptyGrid()
    {
        var html = new HtmlReport("t", TestProvenance()).Table(new ReportTable(["a"], [], "Flagged")).ToHtml();

        html.Should().Contain("<p class=\"empty\">Flagged: no rows.</p>").And.NotContain("<table");
    }

    [Fact]
    public void RaggedRow_IsRefused_NamingRowAndColumnCount()
    {
        var act = () => new ReportTable(["a", "b"], [["1", "2"], ["3"]], "Model");

        act.Should().Throw<ArgumentException>().WithMessage("Row 2 of table 'Model' has 1 values; the table has 2 columns.*");
    }

    [Fact]
    public void EveryReport_EndsWithTheProvenanceBlock()
    {
        var html = new HtmlReport("t", TestProvenance()).Paragraph("body").ToHtml();

        var footer = html[html.IndexOf("<footer class=\"provenance\">", StringComparison.Ordinal)..];
        footer.Should().Contain("<dt>snapshot</dt><dd>snap123</dd>")
            .And.Contain("<dt>code version</dt><dd>1.0.0+abc</dd>")
            .And.Contain("<dt>codelist ltc</dt><dd>ltc-gmsde.1</dd>")
            .And.Contain("<dt>seed</dt><dd>42</dd>")
            .And.Contain("<dt>disclosure control</dt><dd>counts 1-7 suppressed; other counts rounded to the nearest 5</dd>")
            .And.Contain("<dt>generated</dt><dd>2026-03-01 12:00:00 UTC</dd>");
        html.IndexOf("<p>body</p>", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("<footer", StringComparison.Ordinal));
    }

    [Fact]
    public void Provenance_For_AddsCodeVersionShippedCodelistVersionsAndClockTime()
    {
        var provenance = Provenance.For("snap9", Provenance.OperationalNotForRelease, new FixedClock(Noon), new ProvenanceInput("seed", "7"));

        provenance.CodeVersion.Should().NotBeNullOrWhiteSpace();
        provenance.GeneratedUtc.Should().Be(Noon);
        // schemas/reference/codelists/<name>/VERSION ship beside the program (charlson, efi, ltc, palliative, …), in name order, then the caller's inputs.
        var names = provenance.Inputs.Select(i => i.Name).ToList();
        names.Should().Contain(["codelist charlson", "codelist efi", "codelist ltc", "codelist palliative"]).And.EndWith("seed");
        names.SkipLast(1).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyContain(n => n.StartsWith("codelist "));
        provenance.Inputs.Should().Contain(new ProvenanceInput("codelist ltc", "ltc-gmsde.1"));
    }

    [Fact]
    public void Report_IsSelfContained_NoScriptsNoExternalFetches()
    {
        var plot = Charts.NewPlot("Rows", "month", "rows");
        plot.Add.Bars(new double[] { 1, 2, 3 });
        var html = new HtmlReport("t", TestProvenance()).Chart(Charts.From(plot, 400, 300), "rows per month").ToHtml();

        html.Should().NotContain("<script").And.NotContain("<link").And.NotContain("@import").And.NotContain("src=\"http").And.NotContain("href=\"http");
        html.Should().Contain("<figure class=\"chart\"><svg role=\"img\" aria-label=\"rows per month\"");
    }

    [Fact]
    public void TwoCharts_OnOnePage_HaveDistinctClipPathIds()
    {
        Chart Bars()
        {
            var plot = Charts.NewPlot("x", "a", "b");
            plot.Add.Bars(new double[] { 1, 2 });
            return Charts.From(plot, 300, 200);
        }

        var html = new HtmlReport("t", TestProvenance()).Chart(Bars(), "one").Chart(Bars(), "two").ToHtml();

        var ids = System.Text.RegularExpressions.Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        ids.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        foreach (var id in ids)
        {
            html.Should().Contain($"url(#{id})");
        }
    }

    [Fact]
    public void Links_MustBeRelativePathsInsideTheReportFolder()
    {
        var report = new HtmlReport("index", TestProvenance());

        report.Links([("DQ", "dq_matrix.html")]).ToHtml().Should().Contain("<li><a href=\"dq_matrix.html\">DQ</a></li>");
        foreach (var bad in new[] { "javascript:alert(1)", "https://example.org/x", "/etc/passwd", "../other/x.html" })
        {
            report.Invoking(r => r.Links([("x", bad)])).Should().Throw<ArgumentException>().WithMessage($"*'{bad}'*");
        }
    }

    [Fact]
    public void SaveMarkdown_WritesTablesWithNumericAlignment_AndEachChartAsPngAndSvg()
    {
        using var folder = new TempFolder();
        var plot = Charts.NewPlot("Rows", "month", "rows");
        plot.Add.Bars(new double[] { 1, 2, 3 });
        var report = new HtmlReport("Data manager", TestProvenance())
            .Heading("Volumes")
            .Table(new ReportTable(["feed", "rows"], [["apc", 12], ["a|b", 3]]))
            .Chart(Charts.From(plot, 400, 300), "rows per month");

        var md = File.ReadAllText(report.SaveMarkdown(folder.Combine("page.md")));

        md.Should().StartWith("# Data manager\n\n## Volumes\n\n| feed | rows |\n|---|---:|\n| apc | 12 |\n| a\\|b | 3 |\n");
        md.Should().Contain("![rows per month](page-chart-1.png)").And.Contain("- **snapshot**: snap123");
        File.Exists(folder.Combine("page-chart-1.png")).Should().BeTrue();
        File.ReadAllText(folder.Combine("page-chart-1.svg")).Should().StartWith("<svg");
    }
}
