using System.Diagnostics;
using System.Globalization;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/LinkedDataset.Benchmarks -- linkage [PEOPLE] [RECORDS]</c>
/// (default 1,800,000 people and 1,000,000 records): builds a synthetic person index and records
/// as match tokens directly in DuckDB (md5 of domain-prefixed values: 32-hex tokens like the real
/// ones), with realistic corruption — given and family name typos (initial kept; soundex kept 60%
/// of the time), day/month transposed, moved or mistyped postcodes (same sector 30%), missing names
/// and postcodes, 10% of people with a second address, 2% of records from people outside the index —
/// then runs <see cref="FellegiSunterLinker"/> and prints wall time per step, rows/s, peak memory,
/// precision and recall against the known truth, and the ratio to a plain DuckDB exact join of the
/// same records on name and date of birth.
/// </summary>
public static class LinkageBenchmark
{
    public static void Run(long people, long records)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(2, "8GB"));
        var clock = Stopwatch.StartNew();
        var outsiders = Math.Max(1, people / 50);
        DuckDb.Execute(db, $"""
            SELECT setseed(0.42);
            CREATE TABLE bench_people AS
            SELECT i AS person_id, CAST(floor(pow(random(), 3) * 2000) AS INTEGER) AS g,
                   CAST(floor(pow(random(), 4) * 30000) AS INTEGER) AS f,
                   DATE '1920-01-01' + CAST(floor(random() * 37000) AS INTEGER) AS dob,
                   CAST(floor(random() * 60000) AS INTEGER) AS pc, CASE WHEN random() < 0.5 THEN 1 ELSE 2 END AS sex
            FROM range({people + outsiders}) t(i);

            -- Name bigram sets shaped like the real ones (8 of 784 bits set); a typo replaces two bigrams.
            CREATE TABLE bench_bloom AS
            WITH pos AS (
              SELECT kind, id, typo, CAST(hash(kind, id, k, CASE WHEN typo AND k < 2 THEN 1 ELSE 0 END) % 784 AS INTEGER) AS pos
              FROM (SELECT 'g' AS kind, i AS id FROM range(2000) t(i) UNION ALL SELECT 'f', i FROM range(30000) t(i)) n,
                   (SELECT unnest([false, true]) AS typo) y, range(8) r(k)),
            words AS (
              SELECT kind, id, typo, w.word,
                     coalesce(bit_or(CASE WHEN pos // 64 = w.word THEN (1::UBIGINT) << (pos % 64) END), 0::UBIGINT) AS bits
              FROM pos, range(13) w(word) GROUP BY ALL)
            SELECT kind, id, typo, string_agg(lower(lpad(hex(bits), 16, '0')), '' ORDER BY word) AS bloom FROM words GROUP BY ALL;

            CREATE MACRO bench_tokens(g, gi, f, sx, dob, pc, sex, gb, fb) AS STRUCT_PACK(
              given := CASE WHEN g IS NOT NULL THEN md5('given:' || g) END,
              family := md5('family:' || f), soundex := md5('soundex:' || sx),
              initial := CASE WHEN gi IS NOT NULL THEN md5('initial:' || gi) END,
              dob := md5('dob:' || dob), yob := md5('yob:' || year(dob)),
              dob_swapped := CASE WHEN day(dob) <= 12 AND day(dob) <> month(dob) THEN md5('dob:' || make_date(year(dob), day(dob), month(dob))) END,
              postcode := CASE WHEN pc IS NOT NULL THEN md5('postcode:' || pc) END,
              sector := CASE WHEN pc IS NOT NULL THEN md5('sector:' || (pc // 20)) END,
              given_soundex := CASE WHEN gi IS NOT NULL THEN md5('gsoundex:' || gi || '/' || (hash(g) % 7)) END,
              given_bloom := gb, family_bloom := fb,
              dob_md := md5('daymonth:' || strftime(dob, '%m-%d')),
              sex := CAST(sex AS VARCHAR));

            CREATE TABLE pl_person_tokens AS
            SELECT person_id, person_id AS set_order, UNNEST(bench_tokens(g, g % 20, f, f // 3, dob, pc, sex, gb.bloom, fb.bloom))
            FROM bench_people JOIN bench_bloom gb ON gb.kind = 'g' AND gb.id = g AND NOT gb.typo JOIN bench_bloom fb ON fb.kind = 'f' AND fb.id = f AND NOT fb.typo
            WHERE person_id < {people}
            UNION ALL
            SELECT person_id, {people} + person_id AS set_order, UNNEST(bench_tokens(g, g % 20, f, f // 3, dob, (pc + 977) % 60000, sex, gb.bloom, fb.bloom))
            FROM bench_people JOIN bench_bloom gb ON gb.kind = 'g' AND gb.id = g AND NOT gb.typo JOIN bench_bloom fb ON fb.kind = 'f' AND fb.id = f AND NOT fb.typo
            WHERE person_id < {people} AND person_id % 10 = 3;

            CREATE TABLE bench_truth AS
            SELECT i AS record_key,
                   CASE WHEN random() < 0.02 THEN {people} + CAST(floor(random() * {outsiders}) AS BIGINT)
                        ELSE CAST(floor(random() * {people}) AS BIGINT) END AS person_id,
                   random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6
            FROM range({records}) t(i);

            CREATE TABLE pl_records AS
            SELECT t.record_key, UNNEST(bench_tokens(
                     CASE WHEN t.r6 < 0.01 THEN NULL WHEN t.r1 < 0.03 THEN p.g || 'x' ELSE CAST(p.g AS VARCHAR) END,
                     CASE WHEN t.r6 < 0.01 THEN NULL ELSE p.g % 20 END,
                     CASE WHEN t.r1 BETWEEN 0.5 AND 0.53 THEN p.f || 'x' ELSE CAST(p.f AS VARCHAR) END,
                     CASE WHEN t.r1 BETWEEN 0.5 AND 0.512 THEN CAST(p.f // 3 AS VARCHAR) || 'x' ELSE CAST(p.f // 3 AS VARCHAR) END,
                     CASE WHEN t.r2 < 0.01 AND day(p.dob) <= 12 AND day(p.dob) <> month(p.dob) THEN make_date(year(p.dob), day(p.dob), month(p.dob)) ELSE p.dob END,
                     CASE WHEN t.r3 < 0.02 THEN NULL
                          WHEN t.r3 < 0.035 THEN (p.pc // 20) * 20 + CAST(floor(t.r4 * 20) AS INTEGER)
                          WHEN t.r3 < 0.07 THEN CAST(floor(t.r4 * 60000) AS INTEGER)
                          WHEN p.person_id % 10 = 3 AND t.r5 < 0.5 THEN (p.pc + 977) % 60000
                          ELSE p.pc END,
                     p.sex,
                     CASE WHEN t.r6 >= 0.01 THEN gb.bloom END, fb.bloom))
            FROM bench_truth t JOIN bench_people p USING (person_id)
            JOIN bench_bloom gb ON gb.kind = 'g' AND gb.id = p.g AND gb.typo = (t.r1 < 0.03)
            JOIN bench_bloom fb ON fb.kind = 'f' AND fb.id = p.f AND fb.typo = (t.r1 BETWEEN 0.5 AND 0.53);
            """);
        var generate = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"generated {people:N0} people ({DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_person_tokens"):N0} token sets) and {records:N0} records in {generate:F1} s");

        // The shipped settings as they are (u from 2,000 × 2,000 random pairs: over 100 pairs even at the rarest level, exact date of birth).
        var settings = LinkageSettings.Load(Path.Combine(AppContext.BaseDirectory, "schemas", "linkage", LinkageSettings.FileName));
        clock.Restart();
        var result = FellegiSunterLinker.Run(db, settings);
        var total = clock.Elapsed.TotalSeconds;

        // The plain-DuckDB baseline: an exact join of the same records on name and date of birth.
        clock.Restart();
        DuckDb.Execute(db, "CREATE TABLE bench_exact AS SELECT r.record_key, min(p.person_id) AS person_id FROM pl_records r JOIN pl_person_tokens p USING (given, family, dob) GROUP BY ALL");
        var baseline = clock.Elapsed.TotalSeconds;

        var linked = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_record_profile rp JOIN pl_decision d USING (profile_key) WHERE d.decision = 'probabilistic'");
        var correct = DuckDb.Scalar<long>(db, "SELECT count(*) FROM pl_record_profile rp JOIN pl_decision d USING (profile_key) JOIN bench_truth t USING (record_key) WHERE d.decision = 'probabilistic' AND d.person_id = t.person_id");
        var matchable = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM bench_truth WHERE person_id < {people}");
        var blocked = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM bench_truth t JOIN pl_record_profile rp USING (record_key) SEMI JOIN pl_pairs x ON x.profile_key = rp.profile_key AND x.person_id = t.person_id WHERE t.person_id < {people}");
        var t = result.Times;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            linkage of {records:N0} records ({result.RecordProfiles:N0} token sets) against {people:N0} people: {total:F1} s wall, {records / total:N0} records/s
              prepare    {t.Prepare,6:F1} s
              blocking   {t.Blocking,6:F1} s  ({result.CandidatePairs:N0} candidate pairs)
              comparison {t.Comparison,6:F1} s
              u sampling {t.USampling,6:F1} s
              EM         {t.Em,6:F1} s  ({string.Join(", ", result.EmRules.Select(r => $"{r.Rule}: {r.Iterations} it, λ {r.Lambda:F3}"))})
              scoring    {t.Scoring,6:F1} s
              decision   {t.Decision,6:F1} s
            decisions: {result.Linked:N0} token sets linked ({result.Uncertain:N0} uncertain), {result.Provisional:N0} provisional
            blocking rules: {string.Join(", ", result.Blocking.Select(b => $"{b.Rule} (pass {b.Pass}) {b.Pairs:N0} pairs" + (b.Cap is { } cap ? $", cap {cap}: {b.RecordProfilesOverCap:N0} token sets over it" : "")))}
            second pass: {result.SecondPassProfiles:N0} token sets left provisional by pass 1, {result.SecondPassLinked:N0} linked by it
            comparisons left out (no information): {string.Join(", ", result.Model.Comparisons.Where((_, i) => !result.Model.Used[i]).Select(c => c.Name).DefaultIfEmpty("none"))}
            blocking recall {(double)blocked / Math.Max(1, matchable):F4}; precision {(double)correct / Math.Max(1, linked):F4}, recall {(double)correct / Math.Max(1, matchable):F4} ({correct:N0} of {matchable:N0} records whose person is in the index)
            plain DuckDB exact join on name + date of birth: {baseline:F2} s; probabilistic linkage takes {total / Math.Max(baseline, 1e-9):F1}x as long
            peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024 / 1024:F2} GB
            """));
    }
}
