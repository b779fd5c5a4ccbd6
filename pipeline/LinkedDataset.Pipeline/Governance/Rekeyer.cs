using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Orchestration;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Pipeline.Governance;

/// <summary>What <c>ldp rekey</c> is asked to do.</summary>
public sealed record RekeyOptions(DatasetLayout Layout, PseudonymKey OldKey, PseudonymKey NewKey, DuckDbLimits? Limits = null, FeedForms? Forms = null)
{
    /// <summary>Scores <c>person_year</c> in the marts rebuilt for the new snapshot; none leaves the score empty.</summary>
    public IPersonYearScorer? Scorer { get; init; }

    /// <summary>True when the new key is the development key: refused unless the dataset is synthetic.</summary>
    public bool NewKeyIsDevelopmentKey { get; init; }
}

/// <summary>What rekeying did: counts and ids only.</summary>
/// <param name="OldKeyId">Id of the key the dataset was under.</param>
/// <param name="NewKeyId">Id of the key it is under now.</param>
/// <param name="LinkRows">Rows of the link table.</param>
/// <param name="Remapped">Link rows whose old token was mapped to its new token through the NHS numbers in landing.</param>
/// <param name="AlreadyNew">Link rows already under the new key (a rekey interrupted after the link table was rewritten).</param>
/// <param name="Retired">Link rows whose token could not be mapped (no identifiable pmi extract in landing holds that number); their person ids are kept, never reused.</param>
/// <param name="Extracts">Staging reports under the new key.</param>
/// <param name="Snapshot">The snapshot published under the new key.</param>
public sealed record RekeyResult(
    string OldKeyId, string NewKeyId, long LinkRows, long Remapped, long AlreadyNew, long Retired,
    IReadOnlyList<StagingReport> Extracts, PublishResult Snapshot);

/// <summary>
/// Key rotation: re-stages landing under a new key, rewrites the link table so every person keeps
/// their <c>person_id</c>, and publishes a snapshot under the new key whose linked content equals the
/// old one's (with its marts and data-quality matrix), through the <see cref="PipelineRun"/> steps. Old token → new token is worked out in memory from the NHS numbers in the identifiable
/// pmi extracts in landing (the link table holds pmi tokens only) and is never written anywhere.
/// </summary>
/// <remarks>
/// Order makes it safe to interrupt and rerun: staging under the new key first (the old link table
/// still works with the old key), then the link table (rows already under the new key are kept as
/// they are), then the snapshot. Extracts pseudonymised at source cannot be rekeyed here: the
/// provider must send them again under the new key; until then they fail staging with a key id
/// mismatch, which the result's reports show.
/// </remarks>
public sealed class Rekeyer(IReadOnlyDictionary<string, FeedSchema> schemas, ILoggerFactory? loggers = null)
{
    /// <summary>Prefix of the placeholder token kept for a person whose token could not be mapped, so their id is never reused.</summary>
    public const string RetiredPrefix = "retired:";

    private readonly ILoggerFactory loggers = loggers ?? NullLoggerFactory.Instance;

    public RekeyResult Rekey(RekeyOptions options, string command = "ldp rekey", CancellationToken cancellationToken = default)
    {
        var layout = options.Layout;
        if (options.OldKey.KeyId == options.NewKey.KeyId)
        {
            throw new PipelineException($"The old and new keys are the same key (key id {options.NewKey.KeyId}); nothing to rekey.");
        }

        if (!File.Exists(layout.LinkTable))
        {
            throw new PipelineException($"No link table in {layout.Root}: nothing has been linked yet, so there is nothing to rekey. Run 'ldp run' with the new key instead.");
        }

        var recorded = DatasetIdentity.Read(layout);
        if (recorded is not null && recorded.KeyId != options.OldKey.KeyId && recorded.KeyId != options.NewKey.KeyId)
        {
            throw new PipelineException(
                $"This dataset was built with key id {recorded.KeyId}, but --old-key-file has key id {options.OldKey.KeyId}: give the key the dataset is under now as --old-key-file.");
        }

        var forms = options.Forms ?? FeedForms.Configured;
        var extracts = LandingScanner.Scan(layout);
        var (map, newTokens) = MapTokens(extracts.Where(e => e.Feed == "pmi" && forms.FormOf("pmi") == FeedForm.Identifiable), options, cancellationToken);

        var pipeline = new PipelineRun(new PipelineContext(layout, schemas, options.NewKey, command)
        {
            Limits = options.Limits, Forms = forms, Loggers = loggers, Scorer = options.Scorer,
            DevelopmentKey = options.NewKeyIsDevelopmentKey, RekeyingFrom = options.OldKey.KeyId,
        });
        var identity = pipeline.CheckKey();
        var reports = pipeline.Stage(extracts, cancellationToken: cancellationToken).Reports;
        cancellationToken.ThrowIfCancellationRequested();

        var (rows, remapped, alreadyNew, retired) = RewriteLinkTable(layout, map, newTokens, options.Limits);
        var snapshot = pipeline.LinkAndPublish(reports, cancellationToken);
        pipeline.BuildMarts(snapshot.SnapshotId);
        pipeline.AssessQuality(snapshot.SnapshotId);
        (identity with { KeyId = options.NewKey.KeyId }).Write(layout);
        AuditLog.For(layout).Append(command, AuditWhat.Rekey, options.OldKey.KeyId, snapshotId: snapshot.SnapshotId, newKeyId: options.NewKey.KeyId);
        return new RekeyResult(options.OldKey.KeyId, options.NewKey.KeyId, rows, remapped, alreadyNew, retired, reports, snapshot);
    }

    private static (Dictionary<string, string> Map, HashSet<string> NewTokens) MapTokens(
        IEnumerable<LandedExtract> pmiExtracts, RekeyOptions options, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var oldKey = new Pseudonymiser(options.OldKey);
        using var newKey = new Pseudonymiser(options.NewKey);
        using var db = DuckDb.OpenInMemory(options.Limits);
        foreach (var extract in pmiExtracts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                DuckDb.Execute(db, $"""
                    CREATE OR REPLACE TEMP TABLE pmi_file AS
                    SELECT * FROM read_csv({Sql.Path(extract.Path)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', strict_mode = true)
                    """);
                using var command = db.CreateCommand();
                command.CommandText = "SELECT DISTINCT nhs_number FROM pmi_file WHERE nhs_number IS NOT NULL";

                // Streamed, not Dapper: one row per registered person (population scale), hashed as it is read.
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var number = reader.GetString(0);
                    if (oldKey.PersonToken(number) is { } old)
                    {
                        map[old] = newKey.PersonToken(number)!;
                    }
                }
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
                // Unreadable, or no nhs_number column: staging reports the file; it contributes no mapping.
            }
        }

        return (map, map.Values.ToHashSet(StringComparer.Ordinal));
    }

    private static (long Rows, long Remapped, long AlreadyNew, long Retired) RewriteLinkTable(
        DatasetLayout layout, Dictionary<string, string> map, HashSet<string> newTokens, DuckDbLimits? limits)
    {
        using var db = DuckDb.OpenInMemory(limits);
        DuckDb.Execute(db, "CREATE TABLE rekeyed (person_token VARCHAR, person_id BIGINT)");
        long rows = 0, remapped = 0, alreadyNew = 0, retired = 0;
        var link = new List<(string? Token, long PersonId)>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = $"SELECT person_token, person_id FROM read_parquet({Sql.Path(layout.LinkTable)})";

            // Streamed, not Dapper: every row of the link table (population scale) into one compact list.
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                link.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1)));
            }
        }

        using (var appender = db.CreateAppender("rekeyed"))
        {
            foreach (var (token, personId) in link)
            {
                rows++;
                string next;
                if (token is not null && map.TryGetValue(token, out var mapped))
                {
                    next = mapped;
                    remapped++;
                }
                else if (token is not null && (newTokens.Contains(token) || token.StartsWith(RetiredPrefix, StringComparison.Ordinal)))
                {
                    next = token;
                    alreadyNew++;
                }
                else
                {
                    next = RetiredPrefix + personId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    retired++;
                }

                appender.CreateRow().AppendValue(next).AppendValue(personId).EndRow();
            }
        }

        AtomicFile.Write(layout.LinkTable, temporary => DuckDb.Execute(db, $"COPY (SELECT * FROM rekeyed ORDER BY person_id) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
        return (rows, remapped, alreadyNew, retired);
    }
}
