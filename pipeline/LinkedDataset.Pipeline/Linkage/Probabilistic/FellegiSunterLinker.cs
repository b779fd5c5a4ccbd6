using System.Diagnostics;
using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>Wall time of each step of a probabilistic linkage run (the second pass counted in blocking, comparison and scoring).</summary>
public sealed record LinkageStepTimes(double Prepare, double Blocking, double Comparison, double USampling, double Em, double Scoring, double Decision)
{
    public double Total => Prepare + Blocking + Comparison + USampling + Em + Scoring + Decision;
}

/// <summary>What one blocking rule produced.</summary>
/// <param name="Rule">Its name.</param>
/// <param name="Pass">1 for the main rules, 2 for the second pass over records the first left provisional.</param>
/// <param name="Pairs">Candidate pairs it generated (a pair several rules generate counts for each).</param>
/// <param name="Cap">Its cap on block size, if any.</param>
/// <param name="RecordProfilesOverCap">Record token sets whose block under this rule was over the cap (so the rule skipped them).</param>
public sealed record BlockingRuleStats(string Rule, int Pass, long Pairs, int? Cap, long RecordProfilesOverCap);

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
    LinkageStepTimes Times)
{
    /// <summary>Pairs and cap effects per rule, both passes.</summary>
    public IReadOnlyList<BlockingRuleStats> Blocking { get; init; } = [];

    /// <summary>Record token sets the second pass looked at (those the first pass left provisional).</summary>
    public long SecondPassProfiles { get; init; }

    /// <summary>Record token sets the second pass linked (at or above the lower threshold).</summary>
    public long SecondPassLinked { get; init; }

    /// <summary>Expected true matches among the records left provisional (<see cref="MissedMatchEstimate"/>).</summary>
    public double ExpectedMissedRecords { get; init; }

    /// <summary>The share of provisional records' best candidates estimated to be true matches.</summary>
    public double ProvisionalMatchShare { get; init; }
}

/// <summary>
/// Fellegi–Sunter linkage, set-based in DuckDB. Input tables (token columns VARCHAR, null when missing:
/// <see cref="Comparisons.TokenColumns"/>):
/// <list type="bullet">
/// <item><c>pl_person_tokens(person_id, set_order, …tokens)</c>: the person index, one row per token set a person has
/// (several addresses or spellings give several rows; a comparison takes the best agreement over them);
/// <c>set_order</c> is a stable order of the rows that does not depend on the key (e.g. file and row).</item>
/// <item><c>pl_records(record_key, …tokens)</c>: the records to link; <c>record_key</c> in a stable order.</item>
/// </list>
/// Records with identical token sets are one profile (<c>profile_key</c>, a hash of the tokens) and are
/// compared once. Pass 1 blocks with <see cref="LinkageSettings.BlockingRules"/>, fits the model and
/// decides; pass 2 blocks the profiles left provisional with the looser
/// <see cref="LinkageSettings.SecondPassRules"/> and scores them with the same model. Leaves
/// <c>pl_pairs(profile_key, person_id, rules)</c>, <c>pl_scored(profile_key, person_id, match_weight)</c>,
/// <c>pl_decision(profile_key, person_id, match_weight, match_probability, runner_up_weight, decision, uncertain, first_record)</c>
/// with decision 'probabilistic' or 'provisional' (person_id null), and <c>pl_record_profile(record_key, profile_key)</c>.
/// Nothing depends on token values beyond equality: the same records give the same decisions under any key
/// (ties go to the lowest person id; u is sampled by person id and <c>set_order</c>).
/// </summary>
public static class FellegiSunterLinker
{
    public const string Probabilistic = "probabilistic";
    public const string Provisional = "provisional";

    private static readonly string Tokens = string.Join(", ", Comparisons.TokenColumns);

    // A property, not a field: it reads BloomWords, whose initialiser runs later in textual order.
    private static string HashedTokens =>
        string.Join(", ", Comparisons.TokenColumns.Select(c => $"pl_hk({c}) AS {c}")) + ", " + BloomWords;

    public static FellegiSunterResult Run(DuckDBConnection db, LinkageSettings settings)
    {
        var comparisons = Comparisons.All;
        var clock = Stopwatch.StartNew();

        CreateMacros(db);

        // Prepare: tokens to 64-bit keys (hash collisions among a few million tokens: ~1e-7 chance of any),
        // Bloom filters to four 64-bit words for Dice similarity.
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE pl_pp AS SELECT person_id, min(set_order) AS set_order, {HashedTokens} FROM pl_person_tokens GROUP BY ALL;
            CREATE OR REPLACE TABLE pl_record_profile AS SELECT record_key, hash({Tokens}) AS profile_key FROM pl_records;
            CREATE OR REPLACE TABLE pl_tf_given AS
              SELECT given, count(DISTINCT person_id) / (SELECT count(DISTINCT person_id) FROM pl_pp) AS tf FROM pl_pp WHERE given IS NOT NULL GROUP BY given;
            CREATE OR REPLACE TABLE pl_tf_family AS
              SELECT family, count(DISTINCT person_id) / (SELECT count(DISTINCT person_id) FROM pl_pp) AS tf FROM pl_pp WHERE family IS NOT NULL GROUP BY family;
            CREATE OR REPLACE TABLE pl_rp AS
              SELECT r.*, g.tf AS tf_given, f.tf AS tf_family
              FROM (SELECT hash({Tokens}) AS profile_key, min(record_key) AS first_record, {HashedTokens} FROM pl_records GROUP BY ALL) r
              LEFT JOIN pl_tf_given g USING (given) LEFT JOIN pl_tf_family f USING (family);
            """);
        var records = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_record_profile");
        var profiles = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_rp");
        var personProfiles = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_pp");
        var people = Math.Max(1, DuckDb.Scalar<long>(db, "SELECT count(DISTINCT person_id) FROM pl_pp"));
        var prepare = Lap(clock);

        // Pass 1 blocking: the union of the rules' candidate pairs, with a bit per rule that produced the pair.
        var blockingStats = Block(db, "pl_rp", settings.BlockingRules, 0, "pl_pairs", 1);
        var pairs = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_pairs");
        var blocking = Lap(clock);

        Compare(db, "pl_pairs", "pl_cmp", comparisons);
        var comparison = Lap(clock);

        var uCounts = SampleUCounts(db, settings.USamplePeople, comparisons);
        var u = Smooth(comparisons, uCounts);
        var uSampling = Lap(clock);

        var used = Informative(db, comparisons, uCounts);
        var patterns = PatternCounts(db, settings.BlockingRules.Count, comparisons)
            .Select(p => p with { Levels = p.Levels.Select((level, c) => used[c] ? level : -1).ToArray() }).ToList();
        var (m, emRules) = EmEstimator.Estimate(comparisons, u, settings.BlockingRules, patterns, settings.EmMaxIterations, settings.EmTolerance);
        var model = new FellegiSunterModel(comparisons, m, u) { Used = used };
        var em = Lap(clock);

        // Scoring: prior (one true match among all people) plus each comparison's weight,
        // names at exact agreement weighted by how rare the name is (term-frequency adjustment).
        var prior = Math.Log2(1.0 / people / (1 - (1.0 / people)));
        var weight = $"{F(prior)} + {WeightSql(model, settings)}";
        DuckDb.Execute(db, $"CREATE OR REPLACE TABLE pl_scored AS SELECT c.profile_key, c.person_id, {weight} AS match_weight FROM pl_cmp c");
        var scoring = Lap(clock);
        Decide(db, settings);
        var decision = Lap(clock);

        // Pass 2: looser rules over the profiles pass 1 left provisional (some never compared with anyone).
        long secondProfiles = 0, secondLinked = 0;
        if (settings.SecondPassRules.Count > 0)
        {
            DuckDb.Execute(db, $"CREATE OR REPLACE TABLE pl_rp2 AS SELECT r.* FROM pl_rp r SEMI JOIN pl_decision d ON d.profile_key = r.profile_key AND d.decision = '{Provisional}'");
            secondProfiles = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_rp2");
            blockingStats.AddRange(Block(db, "pl_rp2", settings.SecondPassRules, settings.BlockingRules.Count, "pl_pairs2", 2));
            DuckDb.Execute(db, "CREATE OR REPLACE TABLE pl_pairs2 AS SELECT * FROM pl_pairs2 ANTI JOIN pl_pairs USING (profile_key, person_id)");
            blocking += Lap(clock);
            Compare(db, "pl_pairs2", "pl_cmp2", comparisons);
            comparison += Lap(clock);
            DuckDb.Execute(db, $"""
                INSERT INTO pl_scored SELECT c.profile_key, c.person_id, {weight} FROM pl_cmp2 c;
                INSERT INTO pl_pairs SELECT * FROM pl_pairs2;
                """);
            scoring += Lap(clock);
            Decide(db, settings);
            secondLinked = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM pl_decision d SEMI JOIN pl_rp2 USING (profile_key) WHERE d.decision = '{Probabilistic}'");
            decision += Lap(clock);
        }

        var counts = Counts(db);
        var (share, missed) = MissedMatchEstimate.Estimate(BestProvisionalCandidates(db), prior);
        return new FellegiSunterResult(model, emRules, prior, records, profiles, personProfiles, pairs,
            counts.Linked, counts.Uncertain, counts.Provisional,
            new LinkageStepTimes(prepare, blocking, comparison, uSampling, em, scoring, decision))
        {
            Blocking = blockingStats,
            SecondPassProfiles = secondProfiles,
            SecondPassLinked = secondLinked,
            ExpectedMissedRecords = missed,
            ProvisionalMatchShare = share,
        };
    }

    /// <summary>
    /// The SQL macros the comparisons use: <c>pl_hk</c> (token to a 64-bit key), <c>pl_word</c> (one
    /// 64-bit word of a Bloom filter's hex) and <c>pl_dice</c> (Dice similarity of two filters' words and bit counts).
    /// Bit counts are summed as INTEGER: <c>bit_count</c> gives a TINYINT, whose sum overflows (and fails
    /// the query) once two names have more than 127 bigrams between them, e.g. a long free-text name.
    /// </summary>
    public static void CreateMacros(DuckDBConnection db)
    {
        var words = Enumerable.Range(1, Identity.NameBloomFilter.Words).ToList();
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE MACRO pl_hk(x) AS CASE WHEN x IS NULL OR x = '' THEN NULL ELSE hash(x) END;
            CREATE OR REPLACE MACRO pl_word(x, i) AS CASE WHEN x IS NULL OR length(x) <> {Identity.NameBloomFilter.HexLength} THEN NULL ELSE CAST('0x' || substr(x, 16 * (i - 1) + 1, 16) AS UBIGINT) END;
            CREATE OR REPLACE MACRO pl_dice({string.Join(", ", words.Select(w => $"a{w}"))}, {string.Join(", ", words.Select(w => $"b{w}"))}, na, nb) AS
              2.0 * ({string.Join(" + ", words.Select(w => $"bit_count(a{w} & b{w})::INTEGER"))}) / nullif(na + nb, 0);
            """);
    }

    /// <summary>
    /// The Bloom filter word columns (<c>given_bloom_w1</c> …) and bit counts (<c>given_bloom_n</c>) of a
    /// table with the Bloom token columns, as a select list. The bit count is stored once per token set
    /// so a Dice similarity counts only the shared bits (a third of the work per pair).
    /// </summary>
    public static string BloomWords { get; } =
        string.Join(", ", Comparisons.BloomColumns.SelectMany(b => Enumerable.Range(1, Identity.NameBloomFilter.Words).Select(w => $"pl_word({b}, {w}) AS {b}_w{w}")
            .Append($"({string.Join(" + ", Enumerable.Range(1, Identity.NameBloomFilter.Words).Select(w => $"coalesce(bit_count(pl_word({b}, {w}))::INTEGER, 0)"))}) AS {b}_n")));

    /// <summary>
    /// Candidate pairs of <paramref name="recordTable"/> under <paramref name="rules"/> into
    /// <paramref name="target"/>(profile_key, person_id, rules): a bit per rule (from <paramref name="firstBit"/>).
    /// A capped rule only joins blocks of at most its cap person token sets.
    /// </summary>
    private static List<BlockingRuleStats> Block(DuckDBConnection db, string recordTable, IReadOnlyList<BlockingRule> rules, int firstBit, string target, int pass)
    {
        var union = string.Join("\nUNION ALL\n", rules.Select((rule, i) =>
            $"SELECT r.profile_key, p.person_id, {1L << (firstBit + i)}::BIGINT AS bit FROM {recordTable} r JOIN {PersonSide(rule)} p ON {rule.Sql}"));
        DuckDb.Execute(db, $"CREATE OR REPLACE TABLE {target} AS SELECT profile_key, person_id, bit_or(bit) AS rules FROM ({union}) GROUP BY ALL");
        var stats = new List<BlockingRuleStats>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var rulePairs = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {target} WHERE (rules >> {firstBit + i}) & 1 = 1");
            var over = rule.Cap is { } cap
                ? DuckDb.Scalar<long>(db, $"""
                    SELECT count(*) FROM {recordTable} r SEMI JOIN (
                      SELECT {string.Join(", ", rule.On.Select(k => k.PersonColumn).Distinct())} FROM pl_pp
                      WHERE {NotNull(rule)} GROUP BY ALL HAVING count(*) > {cap}) p ON {rule.Sql}
                    """)
                : 0;
            stats.Add(new BlockingRuleStats(rule.Name, pass, rulePairs, rule.Cap, over));
        }

        return stats;
    }

    private static string NotNull(BlockingRule rule) => string.Join(" AND ", rule.On.Select(k => k.PersonColumn).Distinct().Select(c => $"{c} IS NOT NULL"));

    private static string PersonSide(BlockingRule rule) => rule.Cap is { } cap
        ? $"(SELECT * FROM pl_pp WHERE {NotNull(rule)} QUALIFY count(*) OVER (PARTITION BY {string.Join(", ", rule.On.Select(k => k.PersonColumn).Distinct())}) <= {cap})"
        : "pl_pp";

    /// <summary>Comparison levels per pair, the best agreement over the person's token sets.</summary>
    private static void Compare(DuckDBConnection db, string pairs, string target, IReadOnlyList<Comparison> comparisons)
    {
        var levels = string.Join(",\n", comparisons.Select(c => $"max({c.LevelSql}) AS g_{c.Name}"));
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE {target} AS
            SELECT x.profile_key, x.person_id, x.rules, any_value(r.tf_given) AS tf_given, any_value(r.tf_family) AS tf_family, {levels}
            FROM {pairs} x JOIN pl_rp r USING (profile_key) JOIN pl_pp p ON p.person_id = x.person_id
            GROUP BY x.profile_key, x.person_id, x.rules
            """);
    }

    /// <summary>The best candidate per profile and the decision on it; ties go to the lowest person id.</summary>
    private static void Decide(DuckDBConnection db, LinkageSettings settings)
    {
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
            SELECT r.profile_key, r.first_record,
                   CASE WHEN b.match_probability >= {F(settings.LowerThreshold)} THEN b.person_id END AS person_id,
                   b.match_weight, coalesce(b.match_probability, 0) AS match_probability, b.runner_up_weight,
                   CASE WHEN b.match_probability >= {F(settings.LowerThreshold)} THEN '{Probabilistic}' ELSE '{Provisional}' END AS decision,
                   b.match_probability >= {F(settings.LowerThreshold)}
                     AND (b.match_probability < {F(settings.UpperThreshold)} OR b.match_weight - coalesce(b.runner_up_weight, -1e9) < {F(settings.AmbiguityMarginBits)}) AS uncertain
            FROM pl_rp r LEFT JOIN best b USING (profile_key)
            """);
    }

    /// <summary>
    /// Which comparisons carry information: observed (neither side missing) in at least one of the
    /// first pass's candidate pairs, and at least two different levels seen among those pairs and the
    /// random pairs of <paramref name="uCounts"/>. The others (all missing, or one value everywhere:
    /// every record of unknown sex, say) are left out of the model. The random pairs count because
    /// candidate pairs alone can be all alike: a run whose few records all agree exactly on name and
    /// date of birth with their candidates still learns from strangers that the names usually differ.
    /// </summary>
    public static bool[] Informative(DuckDBConnection db, IReadOnlyList<Comparison> comparisons, double[][] uCounts)
    {
        // One row, one list per comparison: Dapper's dynamic row keeps the columns in order.
        var row = (IDictionary<string, object?>)db.QuerySingle("SELECT " + string.Join(", ", comparisons.Select(c => $"list(DISTINCT g_{c.Name}) FILTER (g_{c.Name} >= 0)")) + " FROM pl_cmp");
        var observed = row.Values.Select(v => v is null ? [] : ((System.Collections.IList)v).Cast<object>().Select(Convert.ToInt32).ToHashSet()).ToList();

        return comparisons.Select((_, c) =>
            observed[c].Count > 0 && observed[c].Union(Enumerable.Range(0, uCounts[c].Length).Where(l => uCounts[c][l] > 0)).Count() >= 2).ToArray();
    }

    /// <summary>
    /// Random pairs of different people per comparison level (u is their add-one smoothed share): two deterministic pseudo-random samples of
    /// <paramref name="samplePeople"/> people (by person id; each person's first token set by <c>set_order</c>),
    /// every pair between them.
    /// </summary>
    public static double[][] SampleUCounts(DuckDBConnection db, int samplePeople, IReadOnlyList<Comparison> comparisons)
    {
        var levels = string.Join(", ", comparisons.Select(c => $"{c.LevelSql} AS g_{c.Name}"));
        var counts = comparisons.Select(c => new double[c.Levels.Count]).ToArray();
        // One row per comparison vector (bounded by the levels, not the people); columns by position, the count last.
        foreach (IDictionary<string, object?> row in db.Query($"""
                WITH one AS (SELECT * FROM pl_pp QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY set_order) = 1),
                a AS (SELECT * FROM one ORDER BY hash(person_id, 17) LIMIT {samplePeople}),
                b AS (SELECT * FROM one ORDER BY hash(person_id, 91) LIMIT {samplePeople})
                SELECT {string.Join(", ", comparisons.Select(c => "g_" + c.Name))}, count(*) FROM (
                  SELECT {levels} FROM a r JOIN b p ON r.person_id <> p.person_id) GROUP BY ALL
                """))
        {
            var values = row.Values.ToArray();
            var n = Convert.ToInt64(values[comparisons.Count], CultureInfo.InvariantCulture);
            for (var c = 0; c < comparisons.Count; c++)
            {
                var level = Convert.ToInt32(values[c], CultureInfo.InvariantCulture);
                if (level >= 0)
                {
                    counts[c][level] += n;
                }
            }
        }

        return counts;
    }

    /// <summary>Shares of the full levels with add-one smoothing (no level has u = 0); a coarse level gets the sum of its full levels'.</summary>
    private static double[][] Smooth(IReadOnlyList<Comparison> comparisons, double[][] counts) =>
        counts.Select((levelCounts, c) =>
        {
            var full = Enumerable.Range(0, levelCounts.Length).Where(l => comparisons[c].Estimable(l) >= 0).ToList();
            var total = full.Sum(l => levelCounts[l]) + full.Count;
            return comparisons[c].WithCoarse(levelCounts.Select((x, l) => full.Contains(l) ? (x + 1) / total : 0).ToArray());
        }).ToArray();

    /// <summary>Candidate pairs per blocking rule and comparison vector.</summary>
    public static List<PatternCount> PatternCounts(DuckDBConnection db, int rules, IReadOnlyList<Comparison> comparisons)
    {
        var g = string.Join(", ", comparisons.Select(c => "g_" + c.Name));
        // One row per rule and comparison vector (bounded by the levels); columns by position: rule, levels, count.
        return db.Query($"""
            SELECT rule, {g}, count(*) FROM pl_cmp, range({rules}) t(rule)
            WHERE (rules >> rule) & 1 = 1 GROUP BY ALL ORDER BY ALL
            """).Cast<IDictionary<string, object?>>().Select(row =>
            {
                var values = row.Values.ToArray();
                return new PatternCount(
                    Convert.ToInt32(values[0], CultureInfo.InvariantCulture),
                    Enumerable.Range(0, comparisons.Count).Select(c => Convert.ToInt32(values[c + 1], CultureInfo.InvariantCulture)).ToArray(),
                    Convert.ToInt64(values[comparisons.Count + 1], CultureInfo.InvariantCulture));
            }).ToList();
    }

    /// <summary>The match weight of a row of <c>pl_cmp c</c> (levels and the record's name frequencies); comparisons left out add nothing.</summary>
    public static string WeightSql(FellegiSunterModel model, LinkageSettings settings)
    {
        var terms = model.Comparisons.Select((comparison, c) =>
        {
            if (!model.Used[c])
            {
                return "0";
            }

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

    private static List<(double, long)> BestProvisionalCandidates(DuckDBConnection db)
    {
        // One row per provisional token set, held in memory by the caller's EM either way (as the hand-written loop did).
        return db.Query<(double, long)>($"""
            SELECT d.match_weight::DOUBLE, count(*) FROM pl_record_profile rp JOIN pl_decision d USING (profile_key)
            WHERE d.decision = '{Provisional}' AND d.match_weight IS NOT NULL GROUP BY rp.profile_key, d.match_weight ORDER BY 1, 2
            """).AsList();
    }

    private static (long Linked, long Uncertain, long Provisional) Counts(DuckDBConnection db)
    {
        return db.QuerySingle<(long, long, long)>($"SELECT count(*) FILTER (decision = '{Probabilistic}'), count(*) FILTER (uncertain), count(*) FILTER (decision = '{Provisional}') FROM pl_decision");
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
