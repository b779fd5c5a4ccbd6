using System.Globalization;
using System.Net;
using System.Text;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>
/// The linkage quality report written with each snapshot: Parquet tables (queryable as views of the
/// snapshot) and a self-contained <c>linkage_report.html</c> with inline SVG charts.
/// <list type="bullet">
/// <item><c>linkage_link_rate</c>: rows by feed, provider, month and link method.</item>
/// <item><c>linkage_feed_rate</c>: per feed, rows linked to a registered person (the link rate) and rows given a provisional person, apart.</item>
/// <item><c>linkage_match_weights</c>: histogram of the best candidate's match weight per record (2-bit bins).</item>
/// <item><c>linkage_model</c>: m, u and match weight per comparison level.</item>
/// <item><c>linkage_summary</c>: records, decisions and the model's estimated false-match and missed-match rates.</item>
/// </list>
/// It is an operational report for the data manager inside the secure environment: counts are not
/// disclosure-controlled and it is not for release.
/// </summary>
public static class LinkageReport
{
    public const string HtmlFile = "linkage_report.html";

    public static void Write(DuckDBConnection db, string snapshotFolder, IReadOnlyList<string> activityFeeds, ProbabilisticLinkageResult result)
    {
        var rates = string.Join("\nUNION ALL\n", activityFeeds.Select(f =>
            $"SELECT '{f}' AS feed, provider_code, period, link_method, count(*) AS rows FROM linked_{f} GROUP BY ALL"));
        Copy(db, snapshotFolder, "linkage_link_rate", $"SELECT * FROM ({rates}) ORDER BY ALL");
        Copy(db, snapshotFolder, "linkage_feed_rate", $"""
            SELECT feed, rows, linked, provisional, linked / rows AS link_rate, provisional / rows AS provisional_rate
            FROM (SELECT feed, sum(rows)::BIGINT AS rows,
                         (coalesce(sum(rows) FILTER ({LinkMethods.LinkedCondition}), 0))::BIGINT AS linked,
                         (coalesce(sum(rows) FILTER ({LinkMethods.ProvisionalCondition}), 0))::BIGINT AS provisional
                  FROM ({rates}) GROUP BY feed)
            ORDER BY feed
            """);

        var hasModel = result.Model is not null;
        Copy(db, snapshotFolder, "linkage_match_weights", hasModel
            ? """
              SELECT CAST(floor(d.match_weight / 2) * 2 AS INTEGER) AS weight_from, count(*) AS records
              FROM pl_record_profile rp JOIN pl_decision d USING (profile_key) WHERE d.match_weight IS NOT NULL GROUP BY ALL ORDER BY ALL
              """
            : "SELECT NULL::INTEGER AS weight_from, NULL::BIGINT AS records LIMIT 0");

        var model = new StringBuilder("SELECT * FROM (VALUES ");
        if (result.Model is { } fs)
        {
            var rows = fs.Model.Comparisons.SelectMany((c, i) => c.Levels.Select((level, l) =>
                $"('{c.Name}', {l}, '{level}', {F(fs.Model.M[i][l])}, {F(fs.Model.U[i][l])}, {F(fs.Model.Weight(i, l))})"));
            model.Append(string.Join(", ", rows)).Append(") t(comparison, level, level_name, m, u, match_weight)");
        }
        else
        {
            model.Clear().Append("SELECT NULL::VARCHAR AS comparison, NULL::INTEGER AS level, NULL::VARCHAR AS level_name, NULL::DOUBLE AS m, NULL::DOUBLE AS u, NULL::DOUBLE AS match_weight LIMIT 0");
        }

        Copy(db, snapshotFolder, "linkage_model", model.ToString());

        // Expected false matches among linked records: the sum of (1 - p). Expected missed matches:
        // the sum of p over records left provisional (their best candidate might have been them).
        Copy(db, snapshotFolder, "linkage_summary", hasModel
            ? $"""
              SELECT count(*) AS records,
                     count(*) FILTER (f.link_method = '{FellegiSunterLinker.Probabilistic}') AS linked,
                     count(*) FILTER (f.uncertain) AS uncertain,
                     count(*) FILTER (f.link_method = '{FellegiSunterLinker.Provisional}') AS provisional,
                     coalesce(sum(1 - f.match_probability) FILTER (f.link_method = '{FellegiSunterLinker.Probabilistic}'), 0) AS expected_false_matches,
                     coalesce(sum(d.match_probability) FILTER (f.link_method = '{FellegiSunterLinker.Provisional}'), 0) AS expected_missed_matches,
                     expected_false_matches / greatest(linked, 1) AS estimated_false_match_rate,
                     expected_missed_matches / greatest(linked - expected_false_matches + expected_missed_matches, 1) AS estimated_missed_match_rate,
                     {result.Model!.CandidatePairs} AS candidate_pairs, {F(result.Model.PriorWeight)} AS prior_weight
              FROM pl_final f JOIN pl_record_profile rp USING (record_key) JOIN pl_decision d USING (profile_key)
              """
            : "SELECT 0::BIGINT AS records, 0::BIGINT AS linked, 0::BIGINT AS uncertain, 0::BIGINT AS provisional, 0.0 AS expected_false_matches, 0.0 AS expected_missed_matches, 0.0 AS estimated_false_match_rate, 0.0 AS estimated_missed_match_rate, 0::BIGINT AS candidate_pairs, 0.0 AS prior_weight");

        File.WriteAllText(Path.Combine(snapshotFolder, HtmlFile), Html(db, snapshotFolder));
    }

    /// <summary>The HTML report from the report tables of a snapshot folder.</summary>
    public static string Html(DuckDBConnection db, string snapshotFolder)
    {
        var byFeed = Rows(db, $"SELECT feed, link_method, sum(rows)::BIGINT FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_link_rate", "*.parquet"))}) GROUP BY ALL ORDER BY ALL");
        var byMonth = Rows(db, $"SELECT period, link_method, sum(rows)::BIGINT FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_link_rate", "*.parquet"))}) GROUP BY ALL ORDER BY ALL");
        var weights = Rows(db, $"SELECT weight_from, records FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_match_weights", "*.parquet"))}) ORDER BY 1");
        var model = Rows(db, $"SELECT comparison, level_name, m, u, match_weight FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_model", "*.parquet"))}) ORDER BY comparison, level DESC");
        var summary = Rows(db, $"SELECT * FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_summary", "*.parquet"))})");
        var summaryNames = Names(db, $"SELECT * FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_summary", "*.parquet"))}) LIMIT 0");

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Linkage quality report</title><style>")
            .Append("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{background:#eee}td:first-child{text-align:left}")
            .Append("</style></head><body><h1>Linkage quality report</h1>")
            .Append("<p>Operational report for the data manager: counts are not disclosure-controlled; not for release.</p>");

        html.Append("<h2>Probabilistic linkage summary</h2><table>");
        for (var i = 0; i < summaryNames.Count && summary.Count > 0; i++)
        {
            html.Append("<tr><td>").Append(E(summaryNames[i])).Append("</td><td>").Append(E(Format(summary[0][i]))).Append("</td></tr>");
        }

        html.Append("</table>");
        var feedRates = Rows(db, $"SELECT feed, rows, linked, provisional, round(100 * link_rate, 1), round(100 * provisional_rate, 1) FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_feed_rate", "*.parquet"))}) ORDER BY feed");
        html.Append("<h2>Link rate by feed</h2><p>Linked: rows linked to a registered person (deterministic or probabilistic). Provisional rows are counted apart, not as linked.</p>")
            .Append(Table(["feed", "rows", "linked", "provisional", "link rate %", "provisional %"], feedRates));
        html.Append("<h2>Rows by feed and method</h2>").Append(StackedBars(byFeed));
        html.Append(Table(["feed", "method", "rows"], byFeed));
        html.Append("<h2>Rows by month and method</h2>").Append(StackedBars(byMonth));
        html.Append("<h2>Match weight of the best candidate (records)</h2>")
            .Append(Bars(weights.Select(w => (Format(w[0]), Convert.ToDouble(w[1], CultureInfo.InvariantCulture))).ToList()));
        html.Append("<h2>Model: m and u per comparison level</h2>").Append(Table(["comparison", "level", "m", "u", "weight (bits)"], model));
        html.Append("<p>Provider and month detail: table <code>linkage_link_rate</code> of this snapshot.</p></body></html>");
        return html.ToString();
    }

    private static string StackedBars(IReadOnlyList<object?[]> rows)
    {
        var groups = rows.GroupBy(r => Format(r[0])).ToList();
        var methods = rows.Select(r => Format(r[1])).Distinct().Order(StringComparer.Ordinal).ToList();
        string[] colours = ["#1b7837", "#5aae61", "#fdb863", "#d73027", "#999999"];
        const int width = 700, barHeight = 18, label = 120;
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width + label + 10}\" height=\"{(groups.Count * (barHeight + 4)) + 30}\" font-size=\"11\">");
        var y = 0;
        foreach (var group in groups)
        {
            var total = group.Sum(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture));
            double x = label;
            svg.Append($"<text x=\"0\" y=\"{y + 13}\">{E(group.Key)}</text>");
            foreach (var row in group.OrderBy(r => methods.IndexOf(Format(r[1]))))
            {
                var w = total == 0 ? 0 : width * Convert.ToDouble(row[2], CultureInfo.InvariantCulture) / total;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{barHeight}\" fill=\"{colours[methods.IndexOf(Format(row[1])) % colours.Length]}\"><title>{E(Format(row[1]))}: {E(Format(row[2]))}</title></rect>");
                x += w;
            }

            y += barHeight + 4;
        }

        var lx = label;
        foreach (var (method, i) in methods.Select((m, i) => (m, i)))
        {
            svg.Append($"<rect x=\"{lx}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"{colours[i % colours.Length]}\"/><text x=\"{lx + 14}\" y=\"{y + 15}\">{E(method)}</text>");
            lx += 130;
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Bars(IReadOnlyList<(string Label, double Value)> bars)
    {
        const int height = 200, barWidth = 22;
        var max = bars.Count == 0 ? 1 : Math.Max(1, bars.Max(b => b.Value));
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{(bars.Count * (barWidth + 4)) + 20}\" height=\"{height + 30}\" font-size=\"10\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var h = height * bars[i].Value / max;
            var x = 10 + (i * (barWidth + 4));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{height - h:0.#}\" width=\"{barWidth}\" height=\"{h:0.#}\" fill=\"#2166ac\"><title>{E(bars[i].Label)}: {bars[i].Value}</title></rect>");
            svg.Append($"<text x=\"{x}\" y=\"{height + 14}\">{E(bars[i].Label)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Table(IReadOnlyList<string> header, IReadOnlyList<object?[]> rows)
    {
        var html = new StringBuilder("<table><tr>");
        foreach (var h in header)
        {
            html.Append("<th>").Append(E(h)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(Format(cell))).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static void Copy(DuckDBConnection db, string snapshotFolder, string table, string query)
    {
        var folder = Path.Combine(snapshotFolder, table);
        Directory.CreateDirectory(folder);
        DuckDb.Execute(db, $"COPY ({query}) TO {Sql.Path(Path.Combine(folder, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
    }

    private static List<object?[]> Rows(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static List<string> Names(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString(Math.Abs(d) < 0.01 && d != 0 ? "0.###e+0" : "0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string F(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "NULL";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
