using System.Globalization;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Quality;

/// <summary>Where a snapshot's data-quality matrix was written.</summary>
public sealed record DqFiles(string Parquet, string Html);

/// <summary>
/// Writes the data-quality matrix beside its snapshot (<c>quality/&lt;snapshot id&gt;/</c>): one
/// Parquet row per provider × feed × month, and an HTML page through the report renderer with a
/// status grid and a volume chart per feed. Operational counts only.
/// </summary>
public static class DqReport
{
    public static DqFiles Write(DqMatrixResult matrix, DatasetLayout layout, TimeProvider? clock = null)
    {
        var folder = layout.Quality(matrix.SnapshotId);
        Directory.CreateDirectory(folder);
        var parquet = Path.Combine(folder, "dq_matrix.parquet");
        var html = Path.Combine(folder, "dq_matrix.html");
        WriteParquet(matrix, parquet);
        Report(matrix, clock).Save(html);
        return new DqFiles(parquet, html);
    }

    private static void WriteParquet(DqMatrixResult matrix, string path)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "512MB"));
        DuckDb.Execute(db, """
            CREATE TABLE dq (snapshot_id VARCHAR, feed VARCHAR, provider VARCHAR, period VARCHAR, status VARCHAR, extract_id VARCHAR, file_name VARCHAR,
              refused_reason VARCHAR, rows_read BIGINT, rows_staged BIGINT, rows_quarantined BIGINT, expected_rows DOUBLE, volume_z DOUBLE, volume_ratio DOUBLE,
              completeness VARCHAR, min_completeness DOUBLE, code_validity DOUBLE, cost_present DOUBLE, nhs_numbers_missing BIGINT, nhs_numbers_invalid BIGINT, identity_values_made_missing VARCHAR,
              exact_duplicates BIGINT, resent_records BIGINT, resent_in_file BIGINT, duplicate_rate DOUBLE, rejection_rate DOUBLE, rejections_by_reason VARCHAR, link_rate DOUBLE, provisional_rate DOUBLE, flags VARCHAR)
            """);
        using (var appender = db.CreateAppender("dq"))
        {
            foreach (var c in matrix.Cells)
            {
                var row = appender.CreateRow()
                    .AppendValue(matrix.SnapshotId).AppendValue(c.Feed).AppendValue(c.Provider).AppendValue(c.Period).AppendValue(c.Status)
                    .AppendValue(c.ExtractId).AppendValue(c.FileName).AppendValue(c.RefusedReason)
                    .AppendValue(c.RowsRead).AppendValue(c.RowsStaged).AppendValue(c.RowsQuarantined)
                    .AppendValue(c.ExpectedRows).AppendValue(c.VolumeZ).AppendValue(c.VolumeRatio)
                    .AppendValue(string.Join(";", c.Completeness.Select(k => $"{k.Key}={k.Value.ToString("0.####", CultureInfo.InvariantCulture)}")))
                    .AppendValue(c.Completeness.Count == 0 ? null : c.Completeness.Values.Min())
                    .AppendValue(c.CodeValidity).AppendValue(c.CostPresent).AppendValue(c.NhsNumbersMissing).AppendValue(c.NhsNumbersInvalid)
                    .AppendValue(string.Join(";", c.IdentityValuesMadeMissing.Select(r => $"{r.Key}={r.Value}")))
                    .AppendValue(c.ExactDuplicates).AppendValue(c.ResentRecords).AppendValue(c.ResentInFile).AppendValue(c.DuplicateRate).AppendValue(c.RejectionRate)
                    .AppendValue(string.Join(";", c.RejectionsByReason.Select(r => $"{r.Key}={r.Value}")))
                    .AppendValue(c.LinkRate).AppendValue(c.ProvisionalRate).AppendValue(string.Join(";", c.Flags));
                row.EndRow();
            }
        }

        AtomicFile.Write(path, temporary => DuckDb.Execute(db, $"COPY (SELECT * FROM dq ORDER BY feed, provider, period) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
    }

    private static string P(double? v) => v is { } x ? x.ToString("0.0%", CultureInfo.InvariantCulture) : "–";

    /// <summary>The page as HTML (see <see cref="Report"/>).</summary>
    public static string Html(DqMatrixResult m, TimeProvider? clock = null) => Report(m, clock).ToHtml();

    /// <summary>
    /// The page: a summary, the flagged provider-months, then per feed a provider × month grid
    /// (colour = status, tooltip = the cell's figures) and a chart of rows read per month by provider.
    /// </summary>
    public static HtmlReport Report(DqMatrixResult m, TimeProvider? clock = null)
    {
        var flagged = m.Flagged.ToList();
        var report = new HtmlReport($"Data-quality matrix {m.SnapshotId}", Provenance.For(m.SnapshotId, Provenance.OperationalNotForRelease, clock))
            .Note("Operational report for the data manager: counts of files and rows, not disclosure-controlled; not for release.")
            .Paragraph($"Snapshot {m.SnapshotId}, months {m.Months.FirstOrDefault()} to {m.Months.LastOrDefault()}. "
                + $"{m.Cells.Count} provider-months: {m.Cells.Count(c => c.Status == DqMatrix.Received)} received, {m.Cells.Count(c => c.Status == DqMatrix.Missing)} missing, "
                + $"{m.Cells.Count(c => c.Status == DqMatrix.Refused)} refused; {flagged.Count} flagged.")
            .Paragraph($"Thresholds: volume |robust z| > {m.Thresholds.Volume.RobustZ.ToString(CultureInfo.InvariantCulture)} and change > {P(m.Thresholds.Volume.MinRelativeChange)}; "
                + $"completeness < {P(m.Thresholds.CompletenessMin)}; code validity < {P(m.Thresholds.CodeValidityMin)}; duplicates > {P(m.Thresholds.DuplicateRateMax)}; "
                + $"rejections > {P(m.Thresholds.RejectionRateMax)}; link rate < {P(m.Thresholds.LinkRateMin)}; costs present < {P(m.Thresholds.CostPresentMin)}.")
            .Table(new ReportTable(["received, nothing flagged", "flagged", "missing", "refused"],
                [[new ReportCell("rows read", CellTone.Good), new ReportCell("rows read", CellTone.Warning), new ReportCell(DqMatrix.Missing, CellTone.Missing), new ReportCell(DqMatrix.Refused, CellTone.Bad)]],
                "Legend: each grid cell is one provider-month; hover for its figures"));

        report.Heading("Flagged").Table(ReportTable.From(flagged,
            ("feed", c => c.Feed), ("provider", c => c.Provider), ("month", c => c.Period), ("flags", c => string.Join(", ", c.Flags)),
            ("rows read", c => c.RowsRead), ("expected", c => c.ExpectedRows is { } e ? Math.Round(e) : null)));

        foreach (var feed in m.Cells.Select(c => c.Feed).Distinct())
        {
            var cells = m.Cells.Where(c => c.Feed == feed).ToList();
            var rows = cells.Select(c => c.Provider).Distinct()
                .Select(provider => (IReadOnlyList<object?>)[provider, .. m.Months.Select(month => Cell(cells.FirstOrDefault(x => x.Provider == provider && x.Period == month)))])
                .ToList();
            report.Heading(feed)
                .Table(new ReportTable(["provider", .. m.Months], rows))
                .Chart(VolumeChart(feed, cells, m.Months), $"{feed}: rows read per month by provider; amber rings mark flagged months, red crosses missing or refused ones.");
        }

        return report;
    }

    private static ReportCell? Cell(DqCell? c)
    {
        if (c is null)
        {
            return null;
        }

        if (c.Status != DqMatrix.Received)
        {
            return new ReportCell(c.Status, c.Status == DqMatrix.Missing ? CellTone.Missing : CellTone.Bad, string.Join(", ", c.Flags));
        }

        var tooltip = $"rows read {c.RowsRead}, staged {c.RowsStaged}, quarantined {c.RowsQuarantined}; expected {c.ExpectedRows?.ToString("0", CultureInfo.InvariantCulture) ?? "–"}; "
            + $"duplicates {P(c.DuplicateRate)}; rejections {P(c.RejectionRate)}; link rate {P(c.LinkRate)}; provisional {P(c.ProvisionalRate)}" + (c.Flags.Count > 0 ? "; flags: " + string.Join(", ", c.Flags) : "");
        return new ReportCell(c.RowsRead, c.Flags.Count > 0 ? CellTone.Warning : CellTone.Good, tooltip);
    }

    /// <summary>Rows read per month, a line per provider; flagged months ringed in amber, missing or refused months as red crosses on zero.</summary>
    private static Chart VolumeChart(string feed, List<DqCell> cells, IReadOnlyList<string> months)
    {
        var plot = Charts.NewPlot($"{feed}: rows read per month", "month", "rows read");
        var index = months.Select((month, i) => (month, i)).ToDictionary(x => x.month, x => (double)x.i);
        var providers = cells.Select(c => c.Provider).Distinct().ToList();
        for (var p = 0; p < providers.Count; p++)
        {
            var received = cells.Where(c => c.Provider == providers[p] && c.Status == DqMatrix.Received && index.ContainsKey(c.Period)).OrderBy(c => index[c.Period]).ToList();
            var line = plot.Add.Scatter(received.Select(c => index[c.Period]).ToArray(), received.Select(c => (double)c.RowsRead).ToArray(), Charts.Series(p));
            line.LegendText = providers[p];
            line.MarkerSize = 4;
        }

        var flagged = cells.Where(c => c.Status == DqMatrix.Received && c.Flags.Count > 0 && index.ContainsKey(c.Period)).ToList();
        if (flagged.Count > 0)
        {
            var rings = plot.Add.Markers(flagged.Select(c => index[c.Period]).ToArray(), flagged.Select(c => (double)c.RowsRead).ToArray(), ScottPlot.MarkerShape.OpenCircle, 12, Charts.Warning);
            rings.LegendText = "flagged";
        }

        var absent = cells.Where(c => c.Status != DqMatrix.Received && index.ContainsKey(c.Period)).ToList();
        if (absent.Count > 0)
        {
            var crosses = plot.Add.Markers(absent.Select(c => index[c.Period]).ToArray(), new double[absent.Count], ScottPlot.MarkerShape.Eks, 10, Charts.Bad);
            crosses.LegendText = "missing or refused";
        }

        Charts.CategoryLabels(plot, months);
        plot.Axes.SetLimitsY(0, Math.Max(1, cells.Max(c => Math.Max(c.RowsRead, c.ExpectedRows ?? 0))) * 1.1);
        plot.ShowLegend(ScottPlot.Edge.Right);
        return Charts.From(plot, 900, 320);
    }
}
