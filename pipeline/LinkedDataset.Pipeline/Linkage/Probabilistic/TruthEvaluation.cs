using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>Probabilistic linkage judged against a synthetic population's truth file.</summary>
/// <param name="NeedingLinkage">Rows not linked deterministically whose true person is in the person index.</param>
/// <param name="Linked">Rows linked probabilistically (certain or uncertain).</param>
/// <param name="Correct">Of those, rows linked to their true person.</param>
/// <param name="LinkedCertain">Rows linked probabilistically at or above the upper threshold (not flagged uncertain).</param>
/// <param name="CorrectCertain">Of those, rows linked to their true person.</param>
public sealed record TruthEvaluationResult(long NeedingLinkage, long Linked, long Correct, long LinkedCertain, long CorrectCertain)
{
    /// <summary>Of the rows needing linkage, those whose true person some blocking rule (either pass) paired them with; null when the snapshot has no candidates file.</summary>
    public long? WithTrueCandidate { get; init; }

    /// <summary>Blocking recall: the share of rows needing linkage that some rule paired with their true person.</summary>
    public double? BlockingRecall => WithTrueCandidate is { } n ? (NeedingLinkage == 0 ? 1 : (double)n / NeedingLinkage) : null;

    /// <summary>The true missed-match rate: rows needing linkage not linked to their true person.</summary>
    public double MissedRate => 1 - Recall;

    public double Precision => Linked == 0 ? 1 : (double)Correct / Linked;

    public double Recall => NeedingLinkage == 0 ? 1 : (double)Correct / NeedingLinkage;

    public double PrecisionCertain => LinkedCertain == 0 ? 1 : (double)CorrectCertain / LinkedCertain;
}

/// <summary>
/// Compares a published snapshot with the generator's <c>records.csv</c> (feed, provider_code,
/// record_id, person_key): a person id's true person comes from its pmi registrations.
/// Synthetic data only: real data has no truth file.
/// </summary>
public static class TruthEvaluation
{
    public static TruthEvaluationResult Evaluate(DatasetLayout layout, string snapshotId, string truthFolder, IReadOnlyDictionary<string, FeedSchema> schemas)
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, layout, snapshotId);
        DuckDb.Execute(db, $"""
            CREATE TABLE truth AS SELECT feed, provider_code, record_id, person_key
            FROM read_csv({Sql.Path(Path.Combine(truthFolder, "records.csv"))}, header = true, all_varchar = true);
            CREATE TABLE person_truth AS
            SELECT DISTINCT r.person_id, t.person_key FROM registration r
            JOIN truth t ON t.feed = 'pmi' AND t.provider_code = r.practice_code AND t.record_id = CAST(r.registration_id AS VARCHAR);
            """);
        var candidates = Path.Combine(layout.Snapshot(snapshotId), LinkageReport.CandidatesFile);
        DuckDb.Execute(db, File.Exists(candidates)
            ? $"CREATE TABLE candidates AS SELECT feed, provider_code, record_id, person_id FROM read_parquet({Sql.Path(candidates)})"
            : "CREATE TABLE candidates (feed VARCHAR, provider_code VARCHAR, record_id VARCHAR, person_id BIGINT)");
        var feeds = FeedSchemaLoader.FeedNames.Where(f => f != "pmi").ToList();
        var rows = string.Join("\nUNION ALL\n", feeds.Select(f =>
            $"SELECT '{f}' AS feed, provider_code, CAST({Sql.Identifier(schemas[f].RecordId)} AS VARCHAR) AS record_id, person_id, link_method, match_uncertain FROM {f}"));
        var (inIndex, probabilistic, probabilisticRight, certain, certainRight, withCandidate) = db.QuerySingle<(long, long, long, long, long, long)>($"""
            WITH rows AS ({rows}),
            judged AS (
              SELECT x.link_method, x.match_uncertain, t.person_key AS truth_key, pt.person_key AS linked_key,
                     EXISTS (SELECT 1 FROM person_truth q WHERE q.person_key = t.person_key) AS in_index,
                     EXISTS (SELECT 1 FROM candidates c JOIN person_truth q ON q.person_id = c.person_id
                             WHERE c.feed = x.feed AND c.provider_code = x.provider_code AND c.record_id = x.record_id AND q.person_key = t.person_key) AS candidate
              FROM rows x JOIN truth t ON t.feed = x.feed AND t.provider_code = x.provider_code AND t.record_id = x.record_id
              LEFT JOIN person_truth pt ON pt.person_id = x.person_id
              WHERE x.link_method <> 'deterministic')
            SELECT count(*) FILTER (in_index),
                   count(*) FILTER (link_method = 'probabilistic'),
                   count(*) FILTER (link_method = 'probabilistic' AND linked_key = truth_key),
                   count(*) FILTER (link_method = 'probabilistic' AND NOT match_uncertain),
                   count(*) FILTER (link_method = 'probabilistic' AND NOT match_uncertain AND linked_key = truth_key),
                   count(*) FILTER (in_index AND candidate)
            FROM judged
            """);
        return new TruthEvaluationResult(inIndex, probabilistic, probabilisticRight, certain, certainRight)
        {
            WithTrueCandidate = File.Exists(candidates) ? withCandidate : null,
        };
    }
}
