using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>
/// The linkage quality report written with each snapshot: Parquet tables (queryable as views of the
/// snapshot) and <c>linkage_report.html</c> through the report renderer.
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

    public static void Write(DuckDBConnection db, string snapshotFolder, IReadOnlyList<string> activityFeeds, ProbabilisticLinkageResult result, string? snapshotId = null)
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

        Report(db, snapshotFolder, snapshotId).Save(Path.Combine(snapshotFolder, HtmlFile));
    }

    /// <summary>The HTML report from the report tables of a snapshot folder (see <see cref="Report"/>).</summary>
    public static string Html(DuckDBConnection db, string snapshotFolder, string? snapshotId = null, TimeProvider? clock = null) =>
        Report(db, snapshotFolder, snapshotId, clock).ToHtml();

    /// <summary>
    /// The report from the report tables of a snapshot folder: summary, link rate by feed and method,
    /// rows by month and method (months before the last two years aggregated by year), the match
    /// weight histogram and the model's m and u.
    /// </summary>
    public static HtmlReport Report(DuckDBConnection db, string snapshotFolder, string? snapshotId = null, TimeProvider? clock = null)
    {
        string Table(string name) => Sql.Path(Path.Combine(snapshotFolder, name, "*.parquet"));
        var byFeed = Rows(db, $"SELECT feed, link_method, sum(rows)::BIGINT, sum(rows) / sum(sum(rows)) OVER (PARTITION BY feed) FROM read_parquet({Table("linkage_link_rate")}) GROUP BY feed, link_method ORDER BY feed, link_method");
        var byMonth = Rows(db, $"SELECT period, link_method, sum(rows)::BIGINT FROM read_parquet({Table("linkage_link_rate")}) GROUP BY ALL ORDER BY ALL");
        var weights = Rows(db, $"SELECT weight_from, records FROM read_parquet({Table("linkage_match_weights")}) ORDER BY 1");
        var model = Rows(db, $"SELECT comparison, level_name, m, u, match_weight FROM read_parquet({Table("linkage_model")}) ORDER BY comparison, level DESC");
        var summary = Rows(db, $"SELECT * FROM read_parquet({Table("linkage_summary")})");
        var summaryNames = Names(db, $"SELECT * FROM read_parquet({Table("linkage_summary")}) LIMIT 0");
        var id = snapshotId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(snapshotFolder));

        var report = new HtmlReport("Linkage quality report", Provenance.For(id, Provenance.OperationalNotForRelease, clock))
            .Note("Operational report for the data manager: counts are not disclosure-controlled; not for release.")
            .Heading("Probabilistic linkage summary")
            .Table(new ReportTable(["measure", "value"], summaryNames.Select((name, i) => (IReadOnlyList<object?>)[name, summary.Count > 0 ? summary[0][i] : null]).ToList()));

        var feedRates = Rows(db, $"SELECT feed, rows, linked, provisional, round(100 * link_rate, 1), round(100 * provisional_rate, 1) FROM read_parquet({Table("linkage_feed_rate")}) ORDER BY feed");
        report.Heading("Link rate by feed")
            .Paragraph("Linked: rows linked to a registered person (deterministic or probabilistic). Provisional rows are counted apart, not as linked.")
            .Table(new ReportTable(["feed", "rows", "linked", "provisional", "link rate %", "provisional %"], feedRates));

        var methods = byFeed.Concat(byMonth).Select(r => (string)r[1]!).Distinct().Order(StringComparer.Ordinal).ToList();
        var feeds = byFeed.Select(r => (string)r[0]!).Distinct().ToList();
        var share = Charts.NewPlot("Share of rows by link method", "feed", "share of rows (%)");
        Charts.StackedBars(share, feeds, methods.Select(m => (m, (IReadOnlyList<double>)feeds.Select(f => 100 * Value(byFeed, f, m, column: 3)).ToList())).ToList());
        report.Heading("Link rate by feed and method")
            .Chart(Charts.From(share, 900, 360), "Share of each feed's rows linked deterministically (NHS number), probabilistically (match tokens) or left provisional.")
            .Table(ReportTable.From(byFeed, ("feed", r => r[0]), ("method", r => r[1]), ("rows", r => r[2]), ("share", r => Percent(r[3]))));

        var axis = TimeAxis.For(byMonth.Select(r => (string)r[0]!));
        var monthly = Charts.NewPlot("Rows by activity month and link method", "activity month", "rows");
        Charts.StackedBars(monthly, axis.Labels, methods.Select(m => (m, (IReadOnlyList<double>)axis.Labels
            .Select(label => byMonth.Where(r => axis.LabelOf((string)r[0]!) == label && (string)r[1]! == m).Sum(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture))).ToList())).ToList());
        report.Heading("Rows by month and method")
            .Chart(Charts.From(monthly, 1000, 380), axis.WindowStart is { } start
                ? $"Rows by activity month and link method: each month from {start}, earlier activity totalled by year."
                : "Rows by activity month and link method.");

        var histogram = Charts.NewPlot("Match weight of the best candidate", "match weight (bits, 2-bit bins)", "records");
        var bars = histogram.Add.Bars(weights.Select(w => Convert.ToDouble(w[0], CultureInfo.InvariantCulture) + 1).ToArray(), weights.Select(w => Convert.ToDouble(w[1], CultureInfo.InvariantCulture)).ToArray());
        foreach (var bar in bars.Bars)
        {
            bar.Size = 1.8;
            bar.LineWidth = 0;
        }

        histogram.Axes.Margins(bottom: 0);
        report.Heading("Match weight of the best candidate")
            .Chart(Charts.From(histogram, 800, 320), "Records without a usable NHS number by the match weight of their best candidate: links on the right, non-links on the left.")
            .Heading("Model: m and u per comparison level")
            .Table(new ReportTable(["comparison", "level", "m", "u", "weight (bits)"], model))
            .Paragraph("Provider and month detail: table linkage_link_rate of this snapshot.");
        return report;
    }

    private static double Value(IReadOnlyList<object?[]> rows, string key, string method, int column) =>
        rows.Where(r => (string)r[0]! == key && (string)r[1]! == method).Sum(r => Convert.ToDouble(r[column], CultureInfo.InvariantCulture));

    private static string Percent(object? share) => Convert.ToDouble(share, CultureInfo.InvariantCulture).ToString("0.00%", CultureInfo.InvariantCulture);

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

    private static string F(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "NULL";
}
