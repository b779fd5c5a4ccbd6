using System.Globalization;
using System.Net;
using System.Text;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Quality;

/// <summary>Where a snapshot's data-quality matrix was written.</summary>
public sealed record DqFiles(string Parquet, string Html);

/// <summary>
/// Writes the data-quality matrix beside its snapshot (<c>quality/&lt;snapshot id&gt;/</c>): one
/// Parquet row per provider × feed × month, and a self-contained HTML page (inline SVG, no scripts,
/// nothing fetched) with a status grid and volume charts per feed. Operational counts only.
/// </summary>
public static class DqReport
{
    public static DqFiles Write(DqMatrixResult matrix, DatasetLayout layout)
    {
        var folder = layout.Quality(matrix.SnapshotId);
        Directory.CreateDirectory(folder);
        var parquet = Path.Combine(folder, "dq_matrix.parquet");
        var html = Path.Combine(folder, "dq_matrix.html");
        WriteParquet(matrix, parquet);
        AtomicFile.WriteAllText(html, Html(matrix));
        return new DqFiles(parquet, html);
    }

    private static void WriteParquet(DqMatrixResult matrix, string path)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "512MB"));
        DuckDb.Execute(db, """
            CREATE TABLE dq (snapshot_id VARCHAR, feed VARCHAR, provider VARCHAR, period VARCHAR, status VARCHAR, extract_id VARCHAR, file_name VARCHAR,
              refused_reason VARCHAR, rows_read BIGINT, rows_staged BIGINT, rows_quarantined BIGINT, expected_rows DOUBLE, volume_z DOUBLE, volume_ratio DOUBLE,
              completeness VARCHAR, min_completeness DOUBLE, code_validity DOUBLE, cost_present DOUBLE, nhs_numbers_missing BIGINT, nhs_numbers_invalid BIGINT, identity_values_made_missing VARCHAR,
              exact_duplicates BIGINT, resent_records BIGINT, resent_in_file BIGINT, duplicate_rate DOUBLE, rejection_rate DOUBLE, rejections_by_reason VARCHAR, link_rate DOUBLE, flags VARCHAR)
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
                    .AppendValue(c.LinkRate).AppendValue(string.Join(";", c.Flags));
                row.EndRow();
            }
        }

        AtomicFile.Write(path, temporary => DuckDb.Execute(db, $"COPY (SELECT * FROM dq ORDER BY feed, provider, period) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string P(double? v) => v is { } x ? x.ToString("0.0%", CultureInfo.InvariantCulture) : "–";

    /// <summary>The page: a summary, then per feed a provider × month grid (colour = status) and a volume chart per provider.</summary>
    public static string Html(DqMatrixResult m)
    {
        var sb = new StringBuilder();
        var flagged = m.Flagged.ToList();
        sb.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Data-quality matrix {{E(m.SnapshotId)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222} table{border-collapse:collapse;margin:0.5em 0 1.5em}
            td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;text-align:right} th{background:#f4f4f4}
            td.ok{background:#d9f2d9} td.flag{background:#ffe08a} td.missing{background:#f4a6a6} td.refused{background:#e07a7a}
            .legend span{display:inline-block;padding:2px 8px;margin-right:6px;font-size:12px}
            </style></head><body>
            <h1>Data-quality matrix</h1>
            <p>Snapshot <code>{{E(m.SnapshotId)}}</code>, months {{E(m.Months.FirstOrDefault())}} to {{E(m.Months.LastOrDefault())}}.
            {{m.Cells.Count}} provider-months: {{m.Cells.Count(c => c.Status == DqMatrix.Received)}} received, {{m.Cells.Count(c => c.Status == DqMatrix.Missing)}} missing,
            {{m.Cells.Count(c => c.Status == DqMatrix.Refused)}} refused; {{flagged.Count}} flagged. All figures are counts of files and rows.</p>
            <p class="legend"><span class="ok" style="background:#d9f2d9">received, nothing flagged</span><span style="background:#ffe08a">flagged</span><span style="background:#f4a6a6">missing</span><span style="background:#e07a7a">refused</span></p>
            <p>Thresholds: volume |robust z| &gt; {{m.Thresholds.Volume.RobustZ}} and change &gt; {{P(m.Thresholds.Volume.MinRelativeChange)}};
            completeness &lt; {{P(m.Thresholds.CompletenessMin)}}; code validity &lt; {{P(m.Thresholds.CodeValidityMin)}}; duplicates &gt; {{P(m.Thresholds.DuplicateRateMax)}};
            rejections &gt; {{P(m.Thresholds.RejectionRateMax)}}; link rate &lt; {{P(m.Thresholds.LinkRateMin)}}; costs present &lt; {{P(m.Thresholds.CostPresentMin)}}.</p>
            """);
        if (flagged.Count > 0)
        {
            sb.Append("<h2>Flagged</h2><table><tr><th>feed</th><th>provider</th><th>month</th><th>flags</th><th>rows read</th><th>expected</th></tr>");
            foreach (var c in flagged)
            {
                sb.Append($"<tr><td>{E(c.Feed)}</td><td>{E(c.Provider)}</td><td>{E(c.Period)}</td><td style=\"text-align:left\">{E(string.Join(", ", c.Flags))}</td><td>{c.RowsRead}</td><td>{c.ExpectedRows?.ToString("0", CultureInfo.InvariantCulture) ?? "–"}</td></tr>");
            }

            sb.Append("</table>");
        }

        foreach (var feed in m.Cells.Select(c => c.Feed).Distinct())
        {
            var cells = m.Cells.Where(c => c.Feed == feed).ToList();
            sb.Append($"<h2>{E(feed)}</h2><table><tr><th>provider</th>");
            foreach (var month in m.Months)
            {
                sb.Append($"<th>{E(month)}</th>");
            }

            sb.Append("</tr>");
            foreach (var provider in cells.Select(c => c.Provider).Distinct())
            {
                sb.Append($"<tr><th>{E(provider)}</th>");
                foreach (var month in m.Months)
                {
                    var c = cells.FirstOrDefault(x => x.Provider == provider && x.Period == month);
                    if (c is null)
                    {
                        sb.Append("<td></td>");
                        continue;
                    }

                    var css = c.Status == DqMatrix.Received ? (c.Flags.Count > 0 ? "flag" : "ok") : c.Status;
                    var title = c.Status != DqMatrix.Received
                        ? string.Join(", ", c.Flags)
                        : $"rows read {c.RowsRead}, staged {c.RowsStaged}, quarantined {c.RowsQuarantined}; expected {c.ExpectedRows?.ToString("0", CultureInfo.InvariantCulture) ?? "–"}; duplicates {P(c.DuplicateRate)}; rejections {P(c.RejectionRate)}; link rate {P(c.LinkRate)}" + (c.Flags.Count > 0 ? "; flags: " + string.Join(", ", c.Flags) : "");
                    sb.Append($"<td class=\"{css}\" title=\"{E(title)}\">{(c.Status == DqMatrix.Received ? c.RowsRead.ToString(CultureInfo.InvariantCulture) : E(c.Status))}</td>");
                }

                sb.Append("</tr>");
            }

            sb.Append("</table>");
            sb.Append(VolumeChart(feed, cells, m.Months));
        }

        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Rows read per month, one small bar chart per provider, expected volume as a line; flagged months in amber, missing as a red tick.</summary>
    private static string VolumeChart(string feed, List<DqCell> cells, IReadOnlyList<string> months)
    {
        const int width = 18, height = 60, gap = 2;
        var sb = new StringBuilder("<div>");
        foreach (var provider in cells.Select(c => c.Provider).Distinct())
        {
            var mine = cells.Where(c => c.Provider == provider).ToDictionary(c => c.Period);
            var max = Math.Max(1, mine.Values.Max(c => Math.Max(c.RowsRead, c.ExpectedRows ?? 0)));
            var w = months.Count * (width + gap) + 10;
            sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height + 28}\" role=\"img\" aria-label=\"{E(feed)} {E(provider)} rows per month\" style=\"margin-right:12px\">");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"12\" font-size=\"11\">{E(provider)}</text>");
            for (var i = 0; i < months.Count; i++)
            {
                var x = 5 + i * (width + gap);
                if (!mine.TryGetValue(months[i], out var c))
                {
                    continue;
                }

                if (c.Status != DqMatrix.Received)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{height + 10}\" width=\"{width}\" height=\"4\" fill=\"#c0392b\"><title>{E(months[i])}: {E(c.Status)}</title></rect>");
                    continue;
                }

                var h = (double)c.RowsRead / max * height;
                var fill = c.Flags.Count > 0 ? "#e6a700" : "#5b8db8";
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{16 + height - h:0.#}\" width=\"{width}\" height=\"{h:0.#}\" fill=\"{fill}\"><title>{E(months[i])}: {c.RowsRead} rows</title></rect>");
                if (c.ExpectedRows is { } e)
                {
                    var y = 16 + height - e / max * height;
                    sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" x2=\"{x + width}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#333\" stroke-width=\"1\"/>");
                }
            }

            sb.Append("</svg>");
        }

        return sb.Append("</div>").ToString();
    }
}
