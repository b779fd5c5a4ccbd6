using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Pipeline.Publishing;

/// <summary>What to publish: the staged extracts that make up the snapshot.</summary>
public sealed record PublishOptions(DatasetLayout Layout, IReadOnlyList<StagingReport> Extracts, string KeyId, DuckDbLimits? Limits = null)
{
    /// <summary>Test hook called at each <see cref="PublishCheckpoint"/>; null in normal runs.</summary>
    public Action<string>? Checkpoint { get; init; }
}

/// <summary>The published snapshot and what linkage did.</summary>
public sealed record PublishResult(string SnapshotId, string Path, bool AlreadyPublished, SnapshotManifest Manifest, IReadOnlyDictionary<string, LinkRate> LinkRates, double Seconds)
{
    /// <summary>What probabilistic linkage did for the rows without a usable NHS number.</summary>
    public ProbabilisticLinkageResult? Probabilistic { get; init; }

    /// <summary>True when nothing new was staged and the current snapshot already held every staged extract, so linkage did not run.</summary>
    public bool Reused { get; init; }

    /// <summary>Activity partitions (table × month) written and taken unchanged from the previous snapshot; null when nothing was written.</summary>
    public PartitionCounts? Partitions { get; init; }
}

/// <summary>
/// Links the staged extracts and publishes them as a snapshot of the linked dataset: Parquet (zstd)
/// partitioned by table and month, plus a manifest. Everything is written under a temporary folder
/// that is renamed into place when complete, so readers see the old snapshot or the new one, never
/// half of one, and it is verified (every table present, Parquet footer row counts equal the manifest)
/// before it is renamed and before CURRENT moves. The snapshot id is a hash of its inputs: publishing
/// the same inputs again is a no-op, unless the folder of that id fails verification, when it is written again.
/// </summary>
public sealed class SnapshotPublisher(IReadOnlyDictionary<string, FeedSchema> schemas, ILogger? logger = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    public static string CodeVersion =>
        typeof(SnapshotPublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    public PublishResult Publish(PublishOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var extracts = options.Extracts.Where(e => e.Status is StagingReport.Staged or StagingReport.AlreadyStaged)
            .ToList();
        extracts = Landing.LandingRegistry.Load(options.Layout).NewestPerSlot(extracts).OrderBy(e => e.ExtractId, StringComparer.Ordinal).ToList(); // a corrected delivery replaces the earlier one
        if (!extracts.Any(e => e.Feed == "pmi"))
        {
            throw new PipelineException("No staged pmi extract: the person index is built from the GP registered population, so at least one pmi file must stage before publishing.");
        }

        var snapshotId = SnapshotId(extracts, options.KeyId);
        var layout = options.Layout;
        var target = layout.Snapshot(snapshotId);

        using var db = DuckDb.OpenInMemory(options.Limits);
        var duplicates = LoadStaged(db, layout, extracts);
        cancellationToken.ThrowIfCancellationRequested();
        PublishCheckpoint.Reach(options, PublishCheckpoint.Loaded);
        var loaded = clock.Elapsed.TotalSeconds;

        LinkHistory.Load(db, layout);
        DeterministicLinker.UpdateLinkTable(db, layout.LinkTable, LinkHistory.MaxProvisionalId(db));
        DeterministicLinker.BuildPersonIndex(db, schemas["pmi"], Path.Combine(ProjectPaths.Reference, "geography", "imd2019_lsoa11_kent_medway.csv"));
        var activityFeeds = FeedSchemaLoader.FeedNames.Where(f => f != "pmi").ToList();
        foreach (var feed in activityFeeds)
        {
            DeterministicLinker.LinkActivity(db, schemas[feed]);
        }

        Households.Build(db, schemas["pmi"]);
        var deterministic = clock.Elapsed.TotalSeconds - loaded;
        var probabilistic = ProbabilisticLinkage.Run(db, schemas, activityFeeds, LinkageSettings.Configured, snapshotId, DateTime.UtcNow);
        var probabilisticSeconds = clock.Elapsed.TotalSeconds - loaded - deterministic;

        var linkRates = activityFeeds.ToDictionary(f => f, f => LinkRate.Of(db, $"linked_{f}"));

        PublishCheckpoint.Reach(options, PublishCheckpoint.Linked);
        var alreadyPublished = Directory.Exists(target);
        if (alreadyPublished && SnapshotVerifier.Verify(target) is { Ok: false } broken)
        {
            // Never trust a folder by its name alone: one that fails verification (a table missing,
            // rows short of the manifest) is not published; it is written again from the same inputs.
            logger.LogWarning("Snapshot {SnapshotId} exists but fails verification ({Problems}); publishing it again.", snapshotId, string.Join("; ", broken.Problems));
            Directory.Delete(target, recursive: true);
            alreadyPublished = false;
        }

        SnapshotManifest manifest;
        PartitionCounts? partitions = null;
        if (alreadyPublished)
        {
            manifest = SnapshotManifest.Read(target);
            logger.LogInformation("Snapshot {SnapshotId} already published; the same inputs give the same snapshot.", snapshotId);
        }
        else
        {
            // The link table is the only file where tokens meet person ids. It is written before the
            // snapshot; a crash after it only means a rerun finds those ids already assigned.
            AtomicFile.Write(layout.LinkTable, temporary => DuckDb.Execute(db, $"COPY (SELECT * FROM link ORDER BY person_id) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
            LinkHistory.Save(db, layout);
            PublishCheckpoint.Reach(options, PublishCheckpoint.LinkTableWritten);
            manifest = WriteSnapshot(db, layout, snapshotId, extracts, options.KeyId, activityFeeds, duplicates, probabilistic, point => PublishCheckpoint.Reach(options, point), out var counts);
            partitions = counts;
        }

        PublishCheckpoint.Reach(options, PublishCheckpoint.Moved);
        AtomicFile.WriteAllText(layout.CurrentSnapshotPointer, snapshotId);
        PublishCheckpoint.Reach(options, PublishCheckpoint.CurrentWritten);
        logger.LogInformation("Published snapshot {SnapshotId} from {Extracts} extracts.", snapshotId, extracts.Count);
        logger.LogInformation(
            "Publish timings: load {Load:F1} s, deterministic {Deterministic:F1} s, probabilistic {Probabilistic:F1} s, write {Write:F1} s; partitions written {Written}, reused {Reused}.",
            loaded, deterministic, probabilisticSeconds, clock.Elapsed.TotalSeconds - loaded - deterministic - probabilisticSeconds, partitions?.Written ?? 0, partitions?.Reused ?? 0);
        return new PublishResult(snapshotId, target, alreadyPublished, manifest, linkRates, clock.Elapsed.TotalSeconds) { Probabilistic = probabilistic, Partitions = partitions };
    }

    /// <summary>
    /// One table <c>staged_&lt;feed&gt;</c> per feed. A record sent more than once (same provider and
    /// record id, in one delivery or several) is kept once: the copy from the latest extract period,
    /// and within it the last row of the file. Returns the number removed per feed.
    /// </summary>
    private Dictionary<string, long> LoadStaged(DuckDBConnection db, DatasetLayout layout, IReadOnlyList<StagingReport> extracts)
    {
        var removed = new Dictionary<string, long>();
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var schema = schemas[feed];
            var files = extracts.Where(e => e.Feed == feed).Select(e => layout.StagedFile(feed, e.ExtractId)).ToList();
            var recordId = Sql.Identifier(schema.RecordId);
            if (files.Count == 0)
            {
                var empty = string.Join(", ", schema.ContentColumns.Select(c => $"CAST(NULL AS {c.DuckDbType}) AS {Sql.Identifier(c.Name)}"));
                DuckDb.Execute(db, $"""
                    CREATE TABLE staged_{feed} AS SELECT NULL::VARCHAR AS extract_id, NULL::VARCHAR AS extract_provider, NULL::VARCHAR AS extract_period,
                      NULL::BIGINT AS source_row, {empty}, NULL::VARCHAR AS person_token, NULL::VARCHAR AS birth_month, NULL::VARCHAR AS sex,
                      NULL::VARCHAR AS lsoa11cd, NULL::VARCHAR AS household_token LIMIT 0
                    """);
                removed[feed] = 0; // pmi always has files (checked before loading), so pmi_first_seen is made below

                continue;
            }

            DuckDb.Execute(db, $"""
                CREATE TABLE staged_{feed} AS
                SELECT * FROM read_parquet({Sql.PathList(files)}, union_by_name = true)
                QUALIFY row_number() OVER ({DuplicateRule.Window(schema)}) = 1
                """);
            if (feed == "pmi")
            {
                DuckDb.Execute(db, $"CREATE TABLE pmi_first_seen AS {DeterministicLinker.FirstSeenSql($"read_parquet({Sql.PathList(files)}, union_by_name = true)")}");
            }
            var total = extracts.Where(e => e.Feed == feed).Sum(e => e.RowsStaged);
            removed[feed] = total - DuckDb.Scalar<long>(db, $"SELECT count(*) FROM staged_{feed}");
        }

        return removed;
    }

    private SnapshotManifest WriteSnapshot(
        DuckDBConnection db, DatasetLayout layout, string snapshotId, IReadOnlyList<StagingReport> extracts, string keyId,
        IReadOnlyList<string> activityFeeds, IReadOnlyDictionary<string, long> duplicates, ProbabilisticLinkageResult probabilistic, Action<string> checkpoint,
        out PartitionCounts partitions)
    {
        var target = layout.Snapshot(snapshotId);
        var temporary = Path.Combine(layout.Snapshots, ".tmp-" + snapshotId);
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true); // left by an interrupted run: start it again
        }

        Directory.CreateDirectory(temporary);
        var rows = new Dictionary<string, long>();
        foreach (var table in new[] { "person", "registration" })
        {
            Directory.CreateDirectory(Path.Combine(temporary, table));
            DuckDb.Execute(db, $"COPY {table} TO {Sql.Path(Path.Combine(temporary, table, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
            rows[table] = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {table}");
        }

        foreach (var feed in activityFeeds)
        {
            rows[feed] = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM linked_{feed}");
            if (rows[feed] == 0)
            {
                // An empty table still gets a file, so its columns are readable.
                var folder = Path.Combine(temporary, feed);
                Directory.CreateDirectory(folder);
                DuckDb.Execute(db, $"COPY (SELECT * EXCLUDE (period) FROM linked_{feed}) TO {Sql.Path(Path.Combine(folder, "empty.parquet"))} (FORMAT parquet)");
            }
        }

        partitions = PartitionWriter.Write(db, temporary, activityFeeds.Where(f => rows[f] > 0), PreviousSnapshot(layout, keyId));

        LinkageReport.Write(db, temporary, activityFeeds, probabilistic, snapshotId);
        var manifest = new SnapshotManifest(
            snapshotId, DateTimeOffset.UtcNow, CodeVersion, keyId,
            extracts.Select(e => new SnapshotExtract(e.ExtractId, e.Feed, e.Provider, e.Period, e.RowsStaged)).ToList(),
            rows, duplicates, schemas.ToDictionary(s => s.Key, s => s.Value.Version));
        checkpoint(PublishCheckpoint.TablesWritten);
        File.WriteAllText(Path.Combine(temporary, "manifest.json"), JsonSerializer.Serialize(manifest, Json));
        checkpoint(PublishCheckpoint.ManifestWritten);
        if (SnapshotVerifier.Verify(temporary) is { Ok: false } failed)
        {
            throw new PipelineException(
                $"Snapshot {snapshotId} failed verification after writing ({string.Join("; ", failed.Problems)}), so it was not published and CURRENT was not moved. " +
                "Check the disk (space, errors) and run again: the next run writes it afresh.");
        }

        Directory.Move(temporary, target);
        return manifest;
    }

    /// <summary>
    /// The current snapshot's folder when its partition files may be reused: made by this code version
    /// with this key id, and whole (a folder is never trusted by its name alone). Else null.
    /// </summary>
    private string? PreviousSnapshot(DatasetLayout layout, string keyId)
    {
        if (layout.CurrentSnapshotId is not { } current || !File.Exists(Path.Combine(layout.Snapshot(current), "manifest.json")))
        {
            return null;
        }

        var folder = layout.Snapshot(current);
        var manifest = SnapshotManifest.Read(folder);
        if (manifest.CodeVersion != CodeVersion || manifest.KeyId != keyId || SnapshotVerifier.Verify(folder) is { Ok: false })
        {
            return null;
        }

        logger.LogDebug("Reusing unchanged partitions of snapshot {SnapshotId}.", current);
        return folder;
    }

    /// <summary>A hash of everything the snapshot's content depends on.</summary>
    private string SnapshotId(IReadOnlyList<StagingReport> extracts, string keyId)
    {
        var inputs = new StringBuilder().AppendLine(CodeVersion).AppendLine(keyId);
        foreach (var (feed, schema) in schemas.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            inputs.AppendLine(feed + ":" + schema.Version);
        }

        foreach (var e in extracts)
        {
            inputs.AppendLine(e.ExtractId);
        }

        return "snap-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..12];
    }
}
