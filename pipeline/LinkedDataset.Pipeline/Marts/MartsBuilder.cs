using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Marts;

/// <summary>
/// Adds a score to the <c>person_year</c> table while marts are built (the risk model lives in the
/// analysis library, which the pipeline does not reference). Fills <c>risk_emergency_admission_next_year</c>
/// and returns a summary for <c>marts.json</c>.
/// </summary>
public interface IPersonYearScorer
{
    ScoreSummary Score(DuckDBConnection db);
}

/// <summary>What a scorer did, recorded in <c>marts.json</c>.</summary>
public sealed record ScoreSummary(string Model, IReadOnlyDictionary<string, string> Details);

/// <summary>What to build: the marts of one snapshot (default the current one).</summary>
public sealed record MartsOptions(
    DatasetLayout Layout, string? SnapshotId = null, string? PriceYear = null, DuckDbLimits? Limits = null,
    IPersonYearScorer? Scorer = null, MartReference? Reference = null);

/// <summary>The built marts: where, which months, rows per table, notes (e.g. what is null and why), timings.</summary>
public sealed record MartsResult(
    string SnapshotId, string Folder, MartWindow Window, IReadOnlyDictionary<string, long> Rows,
    IReadOnlyList<string> Notes, ScoreSummary? Score, IReadOnlyDictionary<string, double> Seconds);

/// <summary>What <c>marts.json</c> holds.</summary>
public sealed record MartsManifest(
    string SnapshotId, DateTimeOffset BuiltUtc, string WindowStart, string WindowEnd, string PriceYear,
    IReadOnlyDictionary<string, string> Versions, IReadOnlyDictionary<string, long> Rows, IReadOnlyList<string> Notes, ScoreSummary? Score);

/// <summary>
/// Builds the marts of a published snapshot — <c>costed_activity</c>, <c>person_month</c>,
/// <c>person_year</c> — as Parquet under <c>lake/marts/&lt;snapshot id&gt;/</c> with <c>marts.json</c>. The
/// folder is written beside and renamed into place, replacing an earlier build: marts are derived and
/// rebuildable, and the same snapshot and reference data give the same marts.
/// </summary>
public static class MartsBuilder
{
    public static readonly IReadOnlyList<string> Tables = ["costed_activity", "person_month", "person_year"];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static MartsResult Build(MartsOptions options)
    {
        var layout = options.Layout;
        using var db = DuckDb.OpenInMemory(options.Limits);
        var snapshotId = SnapshotReader.CreateViews(db, layout, options.SnapshotId);
        var window = WindowOf(SnapshotManifest.Read(layout.Snapshot(snapshotId)));
        var reference = options.Reference ?? MartReference.Load();
        var target = layout.Marts(snapshotId);
        var temporary = Path.Combine(layout.MartsRoot, ".tmp-" + snapshotId);
        var spill = Path.Combine(layout.MartsRoot, ".spill-" + snapshotId);
        foreach (var folder in new[] { temporary, spill })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        // DuckDB spills to this folder rather than failing at its memory limit (in memory it would spill to ./.tmp).
        Directory.CreateDirectory(temporary);
        DuckDb.Execute(db, $"SET temp_directory = {Sql.Literal(spill)}");
        var (notes, score, seconds) = BuildTables(db, window, reference, options.PriceYear, options.Scorer, temporary);

        var clock = Stopwatch.StartNew();
        var rows = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            var written = Path.Combine(temporary, table);
            if (!Directory.Exists(written))
            {
                // person_year stays in DuckDB while it is scored; it is written here, in its order (year, person).
                Directory.CreateDirectory(written);
                DuckDb.Execute(db, $"COPY {table} TO {Sql.Path(Path.Combine(written, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
            }

            rows[table] = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {table}");
        }

        var manifest = new MartsManifest(
            snapshotId, DateTimeOffset.UtcNow, window.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            window.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), options.PriceYear ?? "as in unit_costs.csv",
            new Dictionary<string, string>
            {
                ["unit_costs"] = reference.UnitCostVersion, ["efi"] = reference.EfiVersion, ["ltc"] = reference.LtcVersion,
                ["charlson"] = reference.CharlsonVersion, ["palliative"] = reference.PalliativeVersion, ["segment_rules"] = Segments.RulesVersion,
            },
            rows, notes, score);
        File.WriteAllText(Path.Combine(temporary, "marts.json"), JsonSerializer.Serialize(manifest, Json));
        db.Close();
        if (Directory.Exists(spill))
        {
            Directory.Delete(spill, recursive: true);
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(temporary, target);
        seconds["write"] = clock.Elapsed.TotalSeconds;
        return new MartsResult(snapshotId, target, window, rows, notes, score, seconds);
    }

    /// <summary>
    /// Builds the mart tables in <paramref name="db"/> from views or tables named like the snapshot's
    /// (<c>person</c>, <c>registration</c>, one per activity feed). Used by <see cref="Build"/>, tests and the benchmark.
    /// Without <paramref name="folder"/> every mart is a DuckDB table. With it, <c>costed_activity</c> and
    /// <c>person_month</c> (one file per month) are written there as Parquet, <c>table/*.parquet</c>, and are views over
    /// those files; <c>person_year</c> stays a table for the caller to write. Seconds are per stage and per step.
    /// </summary>
    public static (List<string> Notes, ScoreSummary? Score, Dictionary<string, double> Seconds) BuildTables(
        DuckDBConnection db, MartWindow window, MartReference reference, string? priceYear = null, IPersonYearScorer? scorer = null,
        string? folder = null)
    {
        var sink = new MartSink(db, folder);
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        reference.LoadInto(db, priceYear);
        Costing.Build(sink, window, reference.UnitCostVersion);
        seconds["costing"] = clock.Elapsed.TotalSeconds;
        clock.Restart();
        Segments.Build(sink, window, reference);
        seconds["segments"] = clock.Elapsed.TotalSeconds;
        clock.Restart();
        PersonYear.Build(sink, window);
        seconds["person_year"] = clock.Elapsed.TotalSeconds;
        var notes = new List<string>
        {
            "efi: polypharmacy (deficit 36) is a proxy from long-term conditions (codelists/efi/polypharmacy-proxy.csv): there is no medication feed.",
        };
        if (Segments.HouseholdColumn(db) is null)
        {
            notes.Add("lives_alone: null for everyone; the person table has no household columns (household_size or household_id).");
        }

        ScoreSummary? score = null;
        if (scorer is not null)
        {
            clock.Restart();
            score = scorer.Score(db);
            seconds["risk"] = clock.Elapsed.TotalSeconds;
        }
        else
        {
            notes.Add("risk_emergency_admission_next_year: null; no risk model was run.");
        }

        foreach (var (step, value) in sink.Seconds)
        {
            seconds["  " + step] = value;
        }

        return (notes, score, seconds);
    }

    /// <summary>The months of the snapshot's activity extracts (pmi's when there are none).</summary>
    public static MartWindow WindowOf(SnapshotManifest manifest)
    {
        var periods = manifest.Extracts.Where(e => e.Feed != "pmi").Select(e => e.Period).ToList();
        if (periods.Count == 0)
        {
            periods = manifest.Extracts.Select(e => e.Period).ToList();
        }

        if (periods.Count == 0)
        {
            throw new PipelineException($"Snapshot {manifest.SnapshotId} lists no extracts, so it covers no months to build marts for.");
        }

        static DateOnly Month(string period) => DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var first = periods.Min(StringComparer.Ordinal)!;
        var last = periods.Max(StringComparer.Ordinal)!;
        return new MartWindow(Month(first), Month(last).AddMonths(1).AddDays(-1));
    }
}

/// <summary>Opens the marts of a snapshot for querying: one view per mart table.</summary>
public static class MartsReader
{
    /// <summary>Creates views <c>costed_activity</c>, <c>person_month</c>, <c>person_year</c>; returns the snapshot id.</summary>
    public static string CreateViews(DuckDBConnection db, DatasetLayout layout, string? snapshotId = null)
    {
        snapshotId ??= layout.CurrentSnapshotId
            ?? throw new PipelineException($"No snapshot has been published in {layout.Root}. Run 'ldp run' first.");
        var folder = layout.Marts(snapshotId);
        if (!File.Exists(Path.Combine(folder, "marts.json")))
        {
            throw new PipelineException($"No marts have been built for snapshot '{snapshotId}'. Run 'ldp marts' first.");
        }

        foreach (var table in MartsBuilder.Tables)
        {
            DuckDb.Execute(db, $"CREATE OR REPLACE VIEW {Sql.Identifier(table)} AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(folder, table, "*.parquet"))})");
        }

        return snapshotId;
    }

    public static MartsManifest ReadManifest(DatasetLayout layout, string snapshotId) =>
        JsonSerializer.Deserialize<MartsManifest>(File.ReadAllText(Path.Combine(layout.Marts(snapshotId), "marts.json")))
        ?? throw new PipelineException($"marts.json of snapshot {snapshotId} is empty.");
}
