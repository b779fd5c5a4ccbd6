using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Linkage;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Quality;

/// <summary>
/// The data-quality matrix: for each provider × feed × month of a snapshot, received or missing,
/// volume against the provider's own history, completeness of key fields, code validity, costs
/// present, duplicates, rejections by reason and link rate, each flagged against
/// <see cref="DqThresholds"/>. Built from the snapshot's manifest, the staging reports, the staged
/// Parquet and the snapshot's tables: thresholds can change and the matrix be rebuilt without
/// re-staging. Set-based in DuckDB; .NET sees one small row per extract.
/// </summary>
public static class DqMatrix
{
    public const string Missing = "missing";
    public const string Received = "received";
    public const string Refused = "refused";

    public static DqMatrixResult Build(DatasetLayout layout, IReadOnlyDictionary<string, FeedSchema> schemas, DqThresholds thresholds, string? snapshotId = null, DuckDbLimits? limits = null)
    {
        snapshotId ??= layout.CurrentSnapshotId ?? throw new Common.PipelineException($"No snapshot has been published in {layout.Root}. Run 'ldp run' first.");
        var folder = layout.Snapshot(snapshotId);
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
        {
            throw new Common.PipelineException($"Snapshot '{snapshotId}' is not a complete snapshot in {layout.Snapshots}. 'ldp snapshots' lists those that are.");
        }

        var manifest = SnapshotManifest.Read(folder);
        var registry = LandingRegistry.Load(layout);
        var months = MonthRange(manifest.Extracts.Select(e => e.Period));
        using var db = DuckDb.OpenInMemory(limits);

        var cells = new List<DqCell>();
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var schema = schemas[feed];
            var extracts = manifest.Extracts.Where(e => e.Feed == feed).ToList();
            var refused = registry.Entries.Where(e => e.Feed == feed && e.Status == RegistryEntry.Failed && e.Provider is not null && e.Period is not null).ToList();
            var providers = extracts.Select(e => e.Provider).Concat(refused.Select(r => r.Provider!)).Distinct().Order(StringComparer.Ordinal).ToList();
            var measures = extracts.Count == 0 ? new Dictionary<string, ExtractMeasures>() : Measure(db, layout, schema, thresholds, folder, extracts.Select(e => e.ExtractId).ToList());
            foreach (var provider in providers)
            {
                var mine = extracts.Where(e => e.Provider == provider).ToDictionary(e => e.Period);
                var first = mine.Keys.Concat(refused.Where(r => r.Provider == provider).Select(r => r.Period!)).Min(StringComparer.Ordinal)!;
                foreach (var month in months.Where(m => string.CompareOrdinal(m, first) >= 0))
                {
                    if (mine.TryGetValue(month, out var extract))
                    {
                        var report = ExtractStager.TryReadReport(layout.StagingReport(feed, extract.ExtractId));
                        measures.TryGetValue(extract.ExtractId, out var m);
                        cells.Add(ReceivedCell(feed, provider, month, extract.ExtractId, report, m));
                    }
                    else if (refused.Where(r => r.Provider == provider && r.Period == month).MaxBy(r => r.Sequence) is { } bad)
                    {
                        cells.Add(new DqCell { Feed = feed, Provider = provider, Period = month, Status = Refused, ExtractId = bad.ExtractId, FileName = bad.FileName, RefusedReason = bad.Reason });
                    }
                    else
                    {
                        cells.Add(new DqCell { Feed = feed, Provider = provider, Period = month, Status = Missing });
                    }
                }
            }
        }

        cells = WithVolume(cells, thresholds.Volume);
        return new DqMatrixResult(snapshotId, months, cells.Select(c => c with { Flags = Flags(c, thresholds) }).ToList(), thresholds);
    }

    /// <summary>What a threshold flags in a cell; re-applied whenever thresholds change.</summary>
    public static IReadOnlyList<string> Flags(DqCell cell, DqThresholds t)
    {
        var flags = new List<string>();
        if (cell.Status != Received)
        {
            flags.Add(cell.Status == Missing ? "missing" : "refused:" + cell.RefusedReason);
            return flags;
        }

        if (cell.VolumeZ is { } z && cell.VolumeRatio is { } ratio && Math.Abs(z) > t.Volume.RobustZ && Math.Abs(ratio - 1) > t.Volume.MinRelativeChange)
        {
            flags.Add(ratio < 1 ? "volume_low" : "volume_high");
        }

        // A rate is flagged only when it is worse than its threshold beyond random variation: the
        // Wilson bound (z = rate_z) of the share of bad rows lies beyond the threshold. Eight rows
        // with one missing NHS number are not a data-quality problem; 500 with 100 missing are.
        flags.AddRange(cell.Completeness.Where(c => Worse(1 - c.Value, cell.RowsStaged, 1 - t.CompletenessMin, t.RateZ)).Select(c => "completeness:" + c.Key));
        if (cell.CodeValidity is { } valid && Worse(1 - valid, cell.RowsRead, 1 - t.CodeValidityMin, t.RateZ))
        {
            flags.Add("code_validity");
        }

        if (cell.CostPresent is { } cost && Worse(1 - cost, cell.CostRows, 1 - t.CostPresentMin, t.RateZ))
        {
            flags.Add("costs_missing");
        }

        if (cell.DuplicateRate is { } duplicates && Worse(duplicates, cell.RowsStaged, t.DuplicateRateMax, t.RateZ))
        {
            flags.Add("duplicates");
        }

        if (cell.RejectionRate is { } rejected && Worse(rejected, cell.RowsRead, t.RejectionRateMax, t.RateZ))
        {
            flags.Add("rejections");
        }

        if (cell.LinkRate is { } linked && Worse(1 - linked, cell.LinkRows, 1 - t.LinkRateMin, t.RateZ))
        {
            flags.Add("link_rate");
        }

        return flags;
    }

    /// <summary>True when a share of bad rows <paramref name="bad"/> out of <paramref name="n"/> exceeds <paramref name="limit"/> beyond chance: the lower Wilson bound at <paramref name="z"/> is above it.</summary>
    public static bool Worse(double bad, long n, double limit, double z)
    {
        if (n <= 0 || bad <= limit)
        {
            return false;
        }

        var z2 = z * z;
        var centre = (bad + z2 / (2 * n)) / (1 + z2 / n);
        var half = z * Math.Sqrt(bad * (1 - bad) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return centre - half > limit;
    }

    private static DqCell ReceivedCell(string feed, string provider, string month, string extractId, StagingReport? report, ExtractMeasures? m)
    {
        var read = report?.RowsRead ?? 0;
        var staged = report?.RowsStaged ?? 0;
        var reasons = report?.QuarantineReasons ?? new Dictionary<string, long>();
        return new DqCell
        {
            Feed = feed, Provider = provider, Period = month, Status = Received, ExtractId = extractId, FileName = report?.FileName,
            RowsRead = read, RowsStaged = staged, RowsQuarantined = report?.RowsQuarantined ?? 0,
            Completeness = m?.Completeness ?? new Dictionary<string, double>(),
            CodeValidity = read == 0 ? null : 1 - (double)reasons.GetValueOrDefault(ValidationSql.Reasons.CodeNotInCodeSet) / read,
            CostPresent = m?.CostPresent, CostRows = m?.CostRows ?? 0, LinkRows = m?.LinkRows ?? 0,
            NhsNumbersMissing = report?.NhsNumbersMissing ?? 0, NhsNumbersInvalid = report?.NhsNumbersInvalid ?? 0,
            IdentityValuesMadeMissing = report?.IdentityValuesMadeMissing ?? new Dictionary<string, long>(),
            ExactDuplicates = m?.ExactDuplicates ?? 0, ResentRecords = m?.Resent ?? 0,
            ResentInFile = report?.ResentRecordsInFile ?? 0,
            DuplicateRate = staged == 0 ? null : (double)((m?.ExactDuplicates ?? 0) + (report?.ResentRecordsInFile ?? 0)) / staged,
            RejectionRate = read == 0 ? null : (double)(report?.RowsQuarantined ?? 0) / read,
            RejectionsByReason = reasons,
            LinkRate = m?.LinkRate,
            ProvisionalRate = m?.ProvisionalRate,
        };
    }

    /// <summary>
    /// Volume against the provider's own history: the median of its other received months (its first
    /// month left out), scale max(1.4826 × MAD, √median) — a robust z with a Poisson floor.
    /// </summary>
    private static List<DqCell> WithVolume(List<DqCell> cells, VolumeThresholds v)
    {
        var result = new List<DqCell>(cells.Count);
        foreach (var series in cells.GroupBy(c => (c.Feed, c.Provider)))
        {
            var received = series.Where(c => c.Status == Received).OrderBy(c => c.Period, StringComparer.Ordinal).ToList();
            var firstMonth = received.FirstOrDefault()?.Period;
            foreach (var cell in series)
            {
                var history = received.Where(c => c.Period != firstMonth && c.Period != cell.Period).Select(c => (double)c.RowsRead).ToList();
                if (cell.Status != Received || cell.Period == firstMonth || history.Count < v.MinHistoryMonths)
                {
                    result.Add(cell);
                    continue;
                }

                var median = Median(history);
                if (median < v.MinExpectedRows)
                {
                    result.Add(cell with { ExpectedRows = median });
                    continue;
                }

                var mad = Median(history.Select(h => Math.Abs(h - median)).ToList());
                var scale = Math.Max(1.4826 * mad, Math.Sqrt(median));
                result.Add(cell with { ExpectedRows = median, VolumeZ = (cell.RowsRead - median) / scale, VolumeRatio = cell.RowsRead / median });
            }
        }

        return result;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static List<string> MonthRange(IEnumerable<string> periods)
    {
        var list = periods.Distinct().Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var first = DateOnly.ParseExact(list[0] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = DateOnly.ParseExact(list[^1] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var months = new List<string>();
        for (var m = first; m <= last; m = m.AddMonths(1))
        {
            months.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }

        return months;
    }

    private sealed record ExtractMeasures(Dictionary<string, double> Completeness, double? CostPresent, long CostRows, long ExactDuplicates, long Resent, double? LinkRate, long LinkRows, double? ProvisionalRate);

    /// <summary>Per extract of one feed, in DuckDB: completeness, costs, duplicates removed by <see cref="DuplicateRule"/>, link rate.</summary>
    private static Dictionary<string, ExtractMeasures> Measure(
        DuckDBConnection db, DatasetLayout layout, FeedSchema schema, DqThresholds thresholds, string snapshotFolder, IReadOnlyList<string> extractIds)
    {
        var files = Sql.PathList(extractIds.Select(id => layout.StagedFile(schema.Feed, id)));
        DuckDb.Execute(db, $"CREATE OR REPLACE TEMP TABLE s AS SELECT * FROM read_parquet({files}, union_by_name = true)");
        var present = ColumnsOf(db, "s");
        var keys = thresholds.KeyFieldsOf(schema.Feed).Where(present.Contains).ToList();
        var cost = thresholds.CostFields.TryGetValue(schema.Feed, out var c) && present.Contains(c.Column) ? c : null;
        var completeness = keys.Select(k => $"count({Sql.Identifier(k)}) / greatest(count(*), 1)").DefaultIfEmpty("NULL");
        var costSql = cost is null ? "NULL" : $"count({Sql.Identifier(cost.Column)}) FILTER (WHERE {cost.When ?? "true"}) / nullif(count(*) FILTER (WHERE {cost.When ?? "true"}), 0)";
        var costRowsSql = cost is null ? "0" : $"count(*) FILTER (WHERE {cost.When ?? "true"})";
        var content = string.Join(", ", present.Where(p => p is not ("extract_id" or "extract_provider" or "extract_period" or "source_row")).Select(Sql.Identifier));
        var linked = Directory.Exists(Path.Combine(snapshotFolder, schema.Feed)) && schema.Feed != "pmi"
            // Linked means linked to a registered person; a provisional person is counted apart, never as linked.
            ? $"SELECT extract_id, count(*) FILTER ({LinkMethods.LinkedCondition}) / count(*) AS link_rate, count(*) AS link_rows, count(*) FILTER ({LinkMethods.ProvisionalCondition}) / count(*) AS provisional_rate FROM read_parquet({Sql.Path(Path.Combine(snapshotFolder, schema.Feed, "**", "*.parquet"))}, union_by_name = true) GROUP BY 1"
            : "SELECT NULL::VARCHAR AS extract_id, NULL::DOUBLE AS link_rate, 0::BIGINT AS link_rows, NULL::DOUBLE AS provisional_rate LIMIT 0";
        var sql = $"""
            WITH numbered AS (
              SELECT extract_id, provider_code, {Sql.Identifier(schema.RecordId)} AS record_id, hash({content}) AS content_hash,
                     row_number() OVER ({DuplicateRule.Window(schema)}) AS copy
              FROM s),
            kept AS (SELECT provider_code, record_id, content_hash FROM numbered WHERE copy = 1),
            removed AS (
              SELECT n.extract_id, count(*) FILTER (WHERE n.content_hash = k.content_hash) AS exact, count(*) FILTER (WHERE n.content_hash <> k.content_hash) AS resent
              FROM numbered n JOIN kept k USING (provider_code, record_id) WHERE n.copy > 1 GROUP BY 1),
            per_extract AS (
              SELECT extract_id, [{string.Join(", ", completeness)}] AS completeness, {costSql} AS cost_present, {costRowsSql} AS cost_rows FROM s GROUP BY 1),
            linked AS ({linked})
            SELECT p.extract_id AS ExtractId, p.completeness AS Completeness, CAST(p.cost_present AS DOUBLE) AS CostPresent,
                   CAST(coalesce(r.exact, 0) AS BIGINT) AS ExactDuplicates, CAST(coalesce(r.resent, 0) AS BIGINT) AS Resent,
                   CAST(l.link_rate AS DOUBLE) AS LinkRate, CAST(p.cost_rows AS BIGINT) AS CostRows, CAST(coalesce(l.link_rows, 0) AS BIGINT) AS LinkRows,
                   CAST(l.provisional_rate AS DOUBLE) AS ProvisionalRate
            FROM per_extract p LEFT JOIN removed r USING (extract_id) LEFT JOIN linked l USING (extract_id)
            """;
        return db.Query<MeasureRow>(sql).ToDictionary(r => r.ExtractId, r =>
        {
            // Completeness comes back as one DuckDB list (one share per key field, in the order of keys).
            var shares = (r.Completeness as System.Collections.IList)?.Cast<object?>().Select(o => o is null ? 0.0 : Convert.ToDouble(o, CultureInfo.InvariantCulture)).ToList() ?? [];
            var map = keys.Select((k, i) => (k, v: i < shares.Count ? shares[i] : 0.0)).ToDictionary(x => x.k, x => x.v);
            return new ExtractMeasures(map, r.CostPresent, r.CostRows, r.ExactDuplicates, r.Resent, r.LinkRate, r.LinkRows, r.ProvisionalRate);
        });
    }

    /// <summary>One row of <see cref="Measure"/>'s query as Dapper maps it.</summary>
    private sealed class MeasureRow
    {
        public string ExtractId { get; init; } = "";

        public object? Completeness { get; init; }

        public double? CostPresent { get; init; }

        public long ExactDuplicates { get; init; }

        public long Resent { get; init; }

        public double? LinkRate { get; init; }

        public long CostRows { get; init; }

        public long LinkRows { get; init; }

        public double? ProvisionalRate { get; init; }
    }

    private static HashSet<string> ColumnsOf(DuckDBConnection db, string table) =>
        db.Query<string>($"SELECT column_name FROM (DESCRIBE {table})").ToHashSet(StringComparer.Ordinal);
}
