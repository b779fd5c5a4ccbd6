using FluentAssertions;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Reports;

public sealed class DqReportTests
{
    [Fact]
    public void Grid_ColoursEachProviderMonthByStatus_WithFiguresInTheTooltip_AndAChartPerFeed()
    {
        // One feed, one provider, three months: April received clean (100 rows), May received and flagged
        // (40 rows, volume_low), June missing.
        var thresholds = new DqThresholds(new VolumeThresholds(), 0.9, 0.9, 0.01, 0.05, 0.9, 0.9, 3,
            new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, CostField>());
        DqCell Received(string period, long rows, params string[] flags) => new()
        {
            Feed = "apc", Provider = "RVV", Period = period, Status = DqMatrix.Received, RowsRead = rows, RowsStaged = rows, ExpectedRows = 100, Flags = flags,
        };
        var matrix = new DqMatrixResult("snapA", ["2025-04", "2025-05", "2025-06"],
            [Received("2025-04", 100), Received("2025-05", 40, "volume_low"), new DqCell { Feed = "apc", Provider = "RVV", Period = "2025-06", Status = DqMatrix.Missing, Flags = ["missing"] }],
            thresholds);

        var html = DqReport.Html(matrix, new FixedClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));

        html.Should().Contain("<td class=\"num tone-good\" title=\"rows read 100, staged 100, quarantined 0; expected 100;");
        html.Should().Contain("<td class=\"num tone-warning\" title=\"rows read 40, staged 40, quarantined 0; expected 100; duplicates –; rejections –; link rate –; provisional –; flags: volume_low\">40</td>");
        html.Should().Contain("<td class=\"tone-missing\" title=\"missing\">missing</td>");
        html.Should().Contain("3 provider-months: 2 received, 1 missing, 0 refused; 2 flagged.");
        html.Should().Contain("<figure class=\"chart\"><svg").And.Contain(">apc: rows read per month</text>");
        html.Should().Contain("<dt>disclosure control</dt><dd>none: operational report").And.Contain("<dd>2026-01-02 03:04:05 UTC</dd>");
        html.Should().NotContain("<style>body{font-family:system-ui", "the page uses the shared stylesheet only");
    }
}
