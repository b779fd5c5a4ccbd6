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

    /// <summary>The candidate pairs of the probabilistic pass (feed, provider_code, record_id, person_id, rules bitmask), beside the report.</summary>
    public const string CandidatesFile = "linkage_candidates.parquet";

    /// <summary>How the missed-match rate is estimated, printed with it.</summary>
    public const string MissedMatchMethod =
        "Every record the main blocking rules left provisional, including records they never compared with anyone, goes through a looser " +
        "second pass (single tokens, capped). Expected missed matches = the sum, over records still provisional, of the posterior that their " +
        "best candidate from either pass is their person, with the prior re-estimated among those records by EM (the share of their best " +
        "candidates that are true matches) instead of one in the whole index. A record that no rule of either pass pairs with its true person " +
        "is not counted. Rate = expected missed / (linked - expected false + expected missed).";

    public static void Write(DuckDBConnection db, string snapshotFolder, IReadOnlyList<string> activityFeeds, ProbabilisticLinkageResult result)
    {
        var rates = string.Join("\nUNION ALL\n", activityFeeds.Select(f =>
            $"SELECT '{f}' AS feed, provider_code, period, link_method, count(*) AS rows FROM linked_{f} GROUP BY ALL"));
        Copy(db, snapshotFolder, "linkage_link_rate", $"SELECT * FROM ({rates}) ORDER BY ALL");

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
            // A comparison left out (no information in the data) shows no m, u or weight: they were never estimated.
            var rows = fs.Model.Comparisons.SelectMany((c, i) => c.Levels.Select((level, l) => fs.Model.Used[i]
                ? $"('{c.Name}', {l}, '{level}', {F(fs.Model.M[i][l])}, {F(fs.Model.U[i][l])}, {F(fs.Model.Weight(i, l))}, true)"
                : $"('{c.Name}', {l}, '{level}', NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE, false)"));
            model.Append(string.Join(", ", rows)).Append(") t(comparison, level, level_name, m, u, match_weight, used)");
        }
        else
        {
            model.Clear().Append("SELECT NULL::VARCHAR AS comparison, NULL::INTEGER AS level, NULL::VARCHAR AS level_name, NULL::DOUBLE AS m, NULL::DOUBLE AS u, NULL::DOUBLE AS match_weight, NULL::BOOLEAN AS used LIMIT 0");
        }

        Copy(db, snapshotFolder, "linkage_model", model.ToString());

        var blocking = result.Model is { Blocking.Count: > 0 } run
            ? "SELECT * FROM (VALUES " + string.Join(", ", run.Blocking.Select(b =>
                $"({Sql.Literal(b.Rule)}, {b.Pass}, {b.Pairs}::BIGINT, {(b.Cap is { } cap ? cap.ToString(CultureInfo.InvariantCulture) : "NULL")}::INTEGER, {b.RecordProfilesOverCap}::BIGINT)")) +
              ") t(rule, pass, candidate_pairs, cap, token_sets_over_cap)"
            : "SELECT NULL::VARCHAR AS rule, NULL::INTEGER AS pass, NULL::BIGINT AS candidate_pairs, NULL::INTEGER AS cap, NULL::BIGINT AS token_sets_over_cap LIMIT 0";
        Copy(db, snapshotFolder, "linkage_blocking", blocking);

        // Every candidate pair, by record id and person id (no tokens), beside the report rather than
        // as a table of the snapshot: with a synthetic truth folder it gives the blocking recall.
        if (hasModel)
        {
            DuckDb.Execute(db, $"""
                COPY (SELECT s.feed, s.provider_code, s.record_id, x.person_id, x.rules
                      FROM pl_source s JOIN pl_record_profile rp USING (record_key) JOIN pl_pairs x USING (profile_key) ORDER BY ALL)
                TO {Sql.Path(Path.Combine(snapshotFolder, CandidatesFile))} (FORMAT parquet, COMPRESSION zstd)
                """);
        }

        // Expected false matches among linked records: the sum of (1 - p). Expected missed matches:
        // the sum of p over records left provisional (their best candidate might have been them).
        Copy(db, snapshotFolder, "linkage_summary", hasModel
            ? $"""
              SELECT count(*) AS records,
                     count(*) FILTER (f.link_method = '{FellegiSunterLinker.Probabilistic}') AS linked,
                     count(*) FILTER (f.uncertain) AS uncertain,
                     count(*) FILTER (f.link_method = '{FellegiSunterLinker.Provisional}') AS provisional,
                     coalesce(sum(1 - f.match_probability) FILTER (f.link_method = '{FellegiSunterLinker.Probabilistic}'), 0) AS expected_false_matches,
                     {F(result.Model!.ExpectedMissedRecords)} AS expected_missed_matches, {F(result.Model.ProvisionalMatchShare)} AS provisional_match_share,
                     expected_false_matches / greatest(linked, 1) AS estimated_false_match_rate,
                     expected_missed_matches / greatest(linked - expected_false_matches + expected_missed_matches, 1) AS estimated_missed_match_rate,
                     {result.Model!.CandidatePairs} AS candidate_pairs, {F(result.Model.PriorWeight)} AS prior_weight,
                     {result.Model.SecondPassProfiles} AS second_pass_token_sets, {result.Model.SecondPassLinked} AS second_pass_linked,
                     {Sql.Literal(MissedMatchMethod)} AS missed_match_method
              FROM pl_final f JOIN pl_record_profile rp USING (record_key) JOIN pl_decision d USING (profile_key)
              """
            : "SELECT 0::BIGINT AS records, 0::BIGINT AS linked, 0::BIGINT AS uncertain, 0::BIGINT AS provisional, 0.0 AS expected_false_matches, 0.0 AS expected_missed_matches, 0.0 AS estimated_false_match_rate, 0.0 AS estimated_missed_match_rate, 0::BIGINT AS candidate_pairs, 0.0 AS prior_weight, 0::BIGINT AS second_pass_token_sets, 0::BIGINT AS second_pass_linked, '' AS missed_match_method");

        File.WriteAllText(Path.Combine(snapshotFolder, HtmlFile), Html(db, snapshotFolder));
    }

    /// <summary>The HTML report from the report tables of a snapshot folder.</summary>
    public static string Html(DuckDBConnection db, string snapshotFolder)
    {
        var byFeed = Rows(db, $"SELECT feed, link_method, sum(rows)::BIGINT FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_link_rate", "*.parquet"))}) GROUP BY ALL ORDER BY ALL");
        var byMonth = Rows(db, $"SELECT period, link_method, sum(rows)::BIGINT FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_link_rate", "*.parquet"))}) GROUP BY ALL ORDER BY ALL");
        var weights = Rows(db, $"SELECT weight_from, records FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_match_weights", "*.parquet"))}) ORDER BY 1");
        var model = Rows(db, $"SELECT comparison, level_name, m, u, match_weight FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_model", "*.parquet"))}) WHERE used ORDER BY comparison, level DESC");
        var leftOut = Rows(db, $"SELECT DISTINCT comparison FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_model", "*.parquet"))}) WHERE NOT used ORDER BY 1");
        var blocking = Rows(db, $"SELECT rule, pass, candidate_pairs, cap, token_sets_over_cap FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_blocking", "*.parquet"))}) ORDER BY pass, rule");
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
            if (summaryNames[i] == "missed_match_method")
            {
                continue; // printed in full below
            }

            html.Append("<tr><td>").Append(E(summaryNames[i])).Append("</td><td>").Append(E(Format(summary[0][i]))).Append("</td></tr>");
        }

        html.Append("</table>");
        html.Append("<h2>Link rate by feed and method</h2>").Append(StackedBars(byFeed));
        html.Append(Table(["feed", "method", "rows"], byFeed));
        html.Append("<h2>Rows by month and method</h2>").Append(StackedBars(byMonth));
        html.Append("<h2>Match weight of the best candidate (records)</h2>")
            .Append(Bars(weights.Select(w => (Format(w[0]), Convert.ToDouble(w[1], CultureInfo.InvariantCulture))).ToList()));
        html.Append("<h2>Model: m and u per comparison level</h2>").Append(Table(["comparison", "level", "m", "u", "weight (bits)"], model));
        if (leftOut.Count > 0)
        {
            html.Append("<p>Left out of the model (no information: missing on every candidate pair, or one value only): ")
                .Append(E(string.Join(", ", leftOut.Select(r => Format(r[0]))))).Append(". They add no weight and have no m or u.</p>");
        }

        html.Append("<h2>Blocking rules</h2><p>Pass 1: the main rules over every record; pass 2: looser rules over the records pass 1 left provisional. ")
            .Append("A capped rule skips blocks holding more person token sets than its cap.</p>")
            .Append(Table(["rule", "pass", "candidate pairs", "cap", "token sets over cap"], blocking));
        html.Append("<h2>How the missed-match rate is estimated</h2><p>").Append(E(MissedMatchMethod)).Append("</p>");
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
