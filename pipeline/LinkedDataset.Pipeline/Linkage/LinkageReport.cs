using System.Globalization;
using System.Text;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Reports;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>Rows of one feed linked by one method, and their share of the feed's rows.</summary>
public sealed record LinkRate(string Feed, string Method, long Rows, double Share);

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

    /// <summary>The candidate pairs of the probabilistic pass (feed, provider_code, record_id, person_id, rules bitmask), beside the report.</summary>
    public const string CandidatesFile = "linkage_candidates.parquet";

    /// <summary>How the missed-match rate is estimated, printed with it.</summary>
    public const string MissedMatchMethod =
        "Every record the main blocking rules left provisional, including records they never compared with anyone, goes through a looser " +
        "second pass (single tokens, capped). Expected missed matches = the sum, over records still provisional, of the posterior that their " +
        "best candidate from either pass is their person, with the prior re-estimated among those records by EM (the share of their best " +
        "candidates that are true matches) instead of one in the whole index. A record that no rule of either pass pairs with its true person " +
        "is not counted. Rate = expected missed / (linked - expected false + expected missed).";

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

        Report(db, snapshotFolder, snapshotId).Save(Path.Combine(snapshotFolder, HtmlFile));
    }

    /// <summary>Rows per feed and link method, with their share of the feed's rows, from a snapshot folder's <c>linkage_link_rate</c> table.</summary>
    public static IReadOnlyList<LinkRate> LinkRates(string snapshotFolder)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "512MB"));
        return LinkRates(db, snapshotFolder);
    }

    private static List<LinkRate> LinkRates(DuckDBConnection db, string snapshotFolder) => db.Query<LinkRate>($"""
        SELECT feed AS Feed, link_method AS Method, sum(rows)::BIGINT AS Rows, sum(rows) / sum(sum(rows)) OVER (PARTITION BY feed) AS Share
        FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, "linkage_link_rate", "*.parquet"))})
        GROUP BY feed, link_method ORDER BY feed, link_method
        """).ToList();

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
        var byFeed = LinkRates(db, snapshotFolder);
        var byMonth = Rows(db, $"SELECT period, link_method, sum(rows)::BIGINT FROM read_parquet({Table("linkage_link_rate")}) GROUP BY ALL ORDER BY ALL");
        var weights = Rows(db, $"SELECT weight_from, records FROM read_parquet({Table("linkage_match_weights")}) ORDER BY 1");
        var model = Rows(db, $"SELECT comparison, level_name, m, u, match_weight FROM read_parquet({Table("linkage_model")}) WHERE used IS NOT false ORDER BY comparison, level DESC");
        var leftOut = Rows(db, $"SELECT DISTINCT comparison FROM read_parquet({Table("linkage_model")}, union_by_name = true) WHERE used = false ORDER BY 1");
        var blocking = File.Exists(Path.Combine(snapshotFolder, "linkage_blocking", "linkage_blocking.parquet"))
            ? Rows(db, $"SELECT rule, pass, candidate_pairs, cap, token_sets_over_cap FROM read_parquet({Table("linkage_blocking")}) ORDER BY pass, rule")
            : [];
        var summary = Rows(db, $"SELECT * FROM read_parquet({Table("linkage_summary")})");
        var summaryNames = Names(db, $"SELECT * FROM read_parquet({Table("linkage_summary")}) LIMIT 0");
        var method = summaryNames.IndexOf("missed_match_method");
        var id = snapshotId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(snapshotFolder));

        var report = new HtmlReport("Linkage quality report", Provenance.For(id, Provenance.OperationalNotForRelease, clock))
            .Note("Operational report for the data manager: counts are not disclosure-controlled; not for release.")
            .Heading("Probabilistic linkage summary")
            .Table(new ReportTable(["measure", "value"], summaryNames.Select((name, i) => (Name: name, I: i)).Where(x => x.I != method)
                .Select(x => (IReadOnlyList<object?>)[x.Name, summary.Count > 0 ? summary[0][x.I] : null]).ToList()));

        var feedRates = Rows(db, $"SELECT feed, rows, linked, provisional, round(100 * link_rate, 1), round(100 * provisional_rate, 1) FROM read_parquet({Table("linkage_feed_rate")}) ORDER BY feed");
        report.Heading("Link rate by feed")
            .Paragraph("Linked: rows linked to a registered person (deterministic or probabilistic). Provisional rows are counted apart, not as linked.")
            .Table(new ReportTable(["feed", "rows", "linked", "provisional", "link rate %", "provisional %"], feedRates));

        var methods = byFeed.Select(r => r.Method).Concat(byMonth.Select(r => (string)r[1]!)).Distinct().Order(StringComparer.Ordinal).ToList();
        var feeds = byFeed.Select(r => r.Feed).Distinct().ToList();
        var share = Charts.NewPlot("Share of rows by link method", "feed", "share of rows (%)");
        Charts.StackedBars(share, feeds, methods.Select(m => (m, (IReadOnlyList<double>)feeds.Select(f => 100 * byFeed.Where(r => r.Feed == f && r.Method == m).Sum(r => r.Share)).ToList())).ToList());
        report.Heading("Link rate by feed and method")
            .Chart(Charts.From(share, 900, 360), "Share of each feed's rows linked deterministically (NHS number), probabilistically (match tokens) or left provisional.")
            .Table(ReportTable.From(byFeed, ("feed", r => r.Feed), ("method", r => r.Method), ("rows", r => r.Rows), ("share", r => r.Share.ToString("0.00%", CultureInfo.InvariantCulture))));

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
            .Table(new ReportTable(["comparison", "level", "m", "u", "weight (bits)"], model));
        if (leftOut.Count > 0)
        {
            report.Paragraph("Left out of the model (no information: missing on every candidate pair, or one value only): " +
                string.Join(", ", leftOut.Select(r => (string)r[0]!)) + ". They add no weight and have no m or u.");
        }

        if (blocking.Count > 0)
        {
            report.Heading("Blocking rules")
                .Paragraph("Pass 1: the main rules over every record; pass 2: looser rules over the records pass 1 left provisional. A capped rule skips blocks holding more person token sets than its cap.")
                .Table(new ReportTable(["rule", "pass", "candidate pairs", "cap", "token sets over cap"], blocking));
        }

        if (method >= 0 && summary.Count > 0)
        {
            report.Heading("How the missed-match rate is estimated").Paragraph((string)summary[0][method]!);
        }

        report.Paragraph("Provider and month detail: table linkage_link_rate of this snapshot.");
        return report;
    }

    private static void Copy(DuckDBConnection db, string snapshotFolder, string table, string query)
    {
        var folder = Path.Combine(snapshotFolder, table);
        Directory.CreateDirectory(folder);
        DuckDb.Execute(db, $"COPY ({query}) TO {Sql.Path(Path.Combine(folder, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
    }

    // Report tables of any shape, cell by cell in column order (Dapper's rows are dictionaries in column order; NULL maps to null).
    private static List<object?[]> Rows(DuckDBConnection db, string sql) =>
        db.Query(sql).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToList();

    // Names come from the reader's schema, so an empty table still has its header; Dapper sees names only through rows.
    private static List<string> Names(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    private static string F(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "NULL";
}
