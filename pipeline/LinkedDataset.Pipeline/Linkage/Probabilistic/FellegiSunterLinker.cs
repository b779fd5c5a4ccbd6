using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>Wall time of each step of a probabilistic linkage run.</summary>
public sealed record LinkageStepTimes(double Prepare, double Blocking, double Comparison, double USampling, double Em, double Scoring, double Decision)
{
    public double Total => Prepare + Blocking + Comparison + USampling + Em + Scoring + Decision;
}

/// <summary>What a probabilistic linkage run found.</summary>
public sealed record FellegiSunterResult(
    FellegiSunterModel Model,
    IReadOnlyList<EmRuleResult> EmRules,
    double PriorWeight,
    long Records,
    long RecordProfiles,
    long PersonProfiles,
    long CandidatePairs,
    long Linked,
    long Uncertain,
    long Provisional,
    LinkageStepTimes Times);

/// <summary>
/// Fellegi–Sunter linkage, set-based in DuckDB. Input tables (token columns VARCHAR, null when missing:
/// <c>given, family, soundex, initial, dob, yob, dob_swapped, postcode, sector, sex</c>):
/// <list type="bullet">
/// <item><c>pl_person_tokens(person_id, …tokens)</c>: the person index, one row per token set a person has
/// (several addresses or spellings give several rows; a comparison takes the best agreement over them).</item>
/// <item><c>pl_records(record_key, …tokens)</c>: the records to link.</item>
/// </list>
/// Records with identical token sets are one profile (<c>profile_key</c>, a hash of the tokens) and are
/// compared once. Leaves <c>pl_scored(profile_key, person_id, match_weight)</c> (every candidate pair),
/// <c>pl_decision(profile_key, person_id, match_weight, match_probability, runner_up_weight, decision, uncertain)</c>
/// with decision 'probabilistic' or 'provisional' (person_id null), and
/// <c>pl_record_profile(record_key, profile_key)</c>. .NET only runs EM over the aggregated pattern counts.
/// </summary>
public static class FellegiSunterLinker
{
    public const string Probabilistic = "probabilistic";
    public const string Provisional = "provisional";

    private static readonly string Tokens = string.Join(", ", Comparisons.TokenColumns);
    private static readonly string HashedTokens = string.Join(", ", Comparisons.TokenColumns.Select(c => $"pl_hk({c}) AS {c}"));

    public static FellegiSunterResult Run(DuckDBConnection db, LinkageSettings settings)
    {
        var comparisons = Comparisons.All;
        var clock = Stopwatch.StartNew();

        // Prepare: tokens to 64-bit keys (hash collisions among a few million tokens: ~1e-7 chance of any).
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE MACRO pl_hk(x) AS CASE WHEN x IS NULL OR x = '' THEN NULL ELSE hash(x) END;
            CREATE OR REPLACE TABLE pl_pp AS SELECT DISTINCT person_id, {HashedTokens} FROM pl_person_tokens;
            CREATE OR REPLACE TABLE pl_record_profile AS SELECT record_key, hash({Tokens}) AS profile_key FROM pl_records;
            CREATE OR REPLACE TABLE pl_tf_given AS
              SELECT given, count(DISTINCT person_id) / (SELECT count(DISTINCT person_id) FROM pl_pp) AS tf FROM pl_pp WHERE given IS NOT NULL GROUP BY given;
            CREATE OR REPLACE TABLE pl_tf_family AS
              SELECT family, count(DISTINCT person_id) / (SELECT count(DISTINCT person_id) FROM pl_pp) AS tf FROM pl_pp WHERE family IS NOT NULL GROUP BY family;
            CREATE OR REPLACE TABLE pl_rp AS
              SELECT r.*, g.tf AS tf_given, f.tf AS tf_family
              FROM (SELECT hash({Tokens}) AS profile_key, {HashedTokens} FROM pl_records GROUP BY ALL) r
              LEFT JOIN pl_tf_given g USING (given) LEFT JOIN pl_tf_family f USING (family);
            """);
        var records = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_record_profile");
        var profiles = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_rp");
        var personProfiles = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_pp");
        var people = Math.Max(1, DuckDb.Scalar<long>(db, "SELECT count(DISTINCT person_id) FROM pl_pp"));
        var prepare = Lap(clock);

        // Blocking: the union of the rules' candidate pairs, with a bit per rule that produced the pair.
        var union = string.Join("\nUNION ALL\n", settings.BlockingRules.Select((rule, i) =>
            $"SELECT r.profile_key, p.person_id, {1L << i}::BIGINT AS bit FROM pl_rp r JOIN pl_pp p ON {rule.Sql}"));
        DuckDb.Execute(db, $"CREATE OR REPLACE TABLE pl_pairs AS SELECT profile_key, person_id, bit_or(bit) AS rules FROM ({union}) GROUP BY ALL");
        var pairs = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_pairs");
        var blocking = Lap(clock);

        // Comparison: levels per pair, the best agreement over the person's token sets.
        var levels = string.Join(",\n", comparisons.Select(c => $"max({c.LevelSql}) AS g_{c.Name}"));
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_cmp AS
            SELECT x.profile_key, x.person_id, x.rules, any_value(r.tf_given) AS tf_given, any_value(r.tf_family) AS tf_family, {levels}
            FROM pl_pairs x JOIN pl_rp r USING (profile_key) JOIN pl_pp p ON p.person_id = x.person_id
            GROUP BY x.profile_key, x.person_id, x.rules
            """);
        var comparison = Lap(clock);

        var u = SampleU(db, settings.USamplePeople, comparisons);
        var uSampling = Lap(clock);

        var patterns = PatternCounts(db, settings.BlockingRules.Count, comparisons);
        var (m, emRules) = EmEstimator.Estimate(comparisons, u, settings.BlockingRules, patterns, settings.EmMaxIterations, settings.EmTolerance);
        var model = new FellegiSunterModel(comparisons, m, u);
        var em = Lap(clock);

        // Scoring: prior (one true match among all people) plus each comparison's weight,
        // names at exact agreement weighted by how rare the name is (term-frequency adjustment).
        var prior = Math.Log2(1.0 / people / (1 - (1.0 / people)));
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_scored AS
            SELECT c.profile_key, c.person_id, {F(prior)} + {WeightSql(model, settings)} AS match_weight
            FROM pl_cmp c
            """);
        var scoring = Lap(clock);

        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_decision AS
            WITH top AS (
              SELECT profile_key, arg_max(person_id, struct_pack(w := match_weight, p := -person_id)) AS person_id,
                     max(match_weight, 2) AS weights
              FROM pl_scored GROUP BY profile_key
            ), best AS (
              SELECT profile_key, person_id, weights[1] AS match_weight, weights[2] AS runner_up_weight,
                     1 / (1 + pow(2, -weights[1])) AS match_probability
              FROM top
            )
            SELECT r.profile_key,
                   CASE WHEN b.match_probability >= {F(settings.LowerThreshold)} THEN b.person_id END AS person_id,
                   b.match_weight, coalesce(b.match_probability, 0) AS match_probability, b.runner_up_weight,
                   CASE WHEN b.match_probability >= {F(settings.LowerThreshold)} THEN '{Probabilistic}' ELSE '{Provisional}' END AS decision,
                   b.match_probability >= {F(settings.LowerThreshold)}
                     AND (b.match_probability < {F(settings.UpperThreshold)} OR b.match_weight - coalesce(b.runner_up_weight, -1e9) < {F(settings.AmbiguityMarginBits)}) AS uncertain
            FROM pl_rp r LEFT JOIN best b USING (profile_key)
            """);
        var counts = Counts(db);
        var decision = Lap(clock);

        return new FellegiSunterResult(model, emRules, prior, records, profiles, personProfiles, pairs,
            counts.Linked, counts.Uncertain, counts.Provisional,
            new LinkageStepTimes(prepare, blocking, comparison, uSampling, em, scoring, decision));
    }

    /// <summary>
    /// u per level from random pairs of different people: two deterministic pseudo-random samples of
    /// <paramref name="samplePeople"/> people (one token set each), every pair between them. Add-one smoothing.
    /// </summary>
    public static double[][] SampleU(DuckDBConnection db, int samplePeople, IReadOnlyList<Comparison> comparisons)
    {
        var levels = string.Join(", ", comparisons.Select(c => $"{c.LevelSql} AS g_{c.Name}"));
        var counts = comparisons.Select(c => new double[c.Levels.Count]).ToArray();
        using (var command = db.CreateCommand())
        {
            command.CommandText = $"""
                WITH one AS (SELECT * FROM pl_pp QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY hash(given, family, dob, postcode)) = 1),
                a AS (SELECT * FROM one ORDER BY hash(person_id, 17) LIMIT {samplePeople}),
                b AS (SELECT * FROM one ORDER BY hash(person_id, 91) LIMIT {samplePeople})
                SELECT {string.Join(", ", comparisons.Select(c => "g_" + c.Name))}, count(*) FROM (
                  SELECT {levels} FROM a r JOIN b p ON r.person_id <> p.person_id) GROUP BY ALL
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var n = reader.GetInt64(comparisons.Count);
                for (var c = 0; c < comparisons.Count; c++)
                {
                    var level = reader.GetInt32(c);
                    if (level >= 0)
                    {
                        counts[c][level] += n;
                    }
                }
            }
        }

        return counts.Select(levelCounts =>
        {
            var total = levelCounts.Sum() + levelCounts.Length;
            return levelCounts.Select(x => (x + 1) / total).ToArray();
        }).ToArray();
    }

    /// <summary>Candidate pairs per blocking rule and comparison vector.</summary>
    public static List<PatternCount> PatternCounts(DuckDBConnection db, int rules, IReadOnlyList<Comparison> comparisons)
    {
        var g = string.Join(", ", comparisons.Select(c => "g_" + c.Name));
        var result = new List<PatternCount>();
        using var command = db.CreateCommand();
        command.CommandText = $"""
            SELECT rule, {g}, count(*) FROM pl_cmp, range({rules}) t(rule)
            WHERE (rules >> rule) & 1 = 1 GROUP BY ALL ORDER BY ALL
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new PatternCount(
                (int)reader.GetInt64(0),
                Enumerable.Range(0, comparisons.Count).Select(c => reader.GetInt32(c + 1)).ToArray(),
                reader.GetInt64(comparisons.Count + 1)));
        }

        return result;
    }

    /// <summary>The match weight of a row of <c>pl_cmp c</c> (levels and the record's name frequencies).</summary>
    public static string WeightSql(FellegiSunterModel model, LinkageSettings settings)
    {
        var terms = model.Comparisons.Select((comparison, c) =>
        {
            var cases = string.Join(" ", comparison.Levels.Select((_, l) =>
            {
                var weight = F(model.Weight(c, l));
                if (comparison.TfColumn is { } tf && l == comparison.ExactLevel)
                {
                    weight = $"coalesce(log2({F(model.M[c][l])} / greatest(c.tf_{tf}, {F(settings.TfMinimumU)})), {weight})";
                }

                return $"WHEN {l} THEN {weight}";
            }));
            return $"(CASE c.g_{comparison.Name} {cases} ELSE 0 END)";
        });
        return string.Join("\n + ", terms);
    }

    private static (long Linked, long Uncertain, long Provisional) Counts(DuckDBConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT count(*) FILTER (decision = '{Probabilistic}'), count(*) FILTER (uncertain), count(*) FILTER (decision = '{Provisional}') FROM pl_decision";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
