using System.Diagnostics;
using System.Globalization;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/LinkedDataset.Benchmarks -- cohorts PEOPLE [FOLDER]</c>: on the person-year
/// benchmark's snapshot-shaped dataset (PEOPLE people, 24 months April 2024 – March 2026, generated once and reused),
/// builds the marts in memory, locks the connection down as for user definitions, then times a 24-month × 2-group
/// measure (emergency admissions per 1,000 person-years by month and sex, ESP 2013 standardised: one statement over all
/// intervals) and each example cohort of <c>schemas/cohorts/</c> five times (median), and prints the process's peak working set.
/// The generated people all live in one district, so the Swale cohort is empty there: it times the plan, not the output.
/// </summary>
public static class CohortBenchmark
{
    public static void Run(long people, string? folder)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "ldp-bench-person-year-" + people.ToString(CultureInfo.InvariantCulture));
        var limits = new DuckDbLimits(Environment.ProcessorCount, "6GB");
        var clock = Stopwatch.StartNew();
        if (!File.Exists(Path.Combine(folder, "done")))
        {
            PersonYearBenchmark.Generate(people, folder, limits);
            File.WriteAllText(Path.Combine(folder, "done"), "");
            Console.WriteLine($"generated {people:N0} people in {clock.Elapsed.TotalSeconds:F1}s under {folder}");
        }

        clock.Restart();
        using var db = DuckDb.OpenInMemory(limits);
        foreach (var table in Directory.GetDirectories(folder).Select(Path.GetFileName))
        {
            DuckDb.Execute(db, $"CREATE VIEW {table} AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(folder, table!, "*.parquet"))})");
        }

        var window = new MartWindow(new DateOnly(2024, 4, 1), new DateOnly(2026, 3, 31));
        MartsBuilder.BuildTables(db, window, MartReference.Load());
        Console.WriteLine($"marts built in memory in {clock.Elapsed.TotalSeconds:F1}s");
        if (Environment.GetEnvironmentVariable("LDP_BENCH_PROFILE") is { Length: > 0 } profile)
        {
            // Development aid: DuckDB prints each statement's operator tree with timings (query_tree) to stdout.
            DuckDb.Execute(db, $"SET enable_profiling = {Sql.Literal(profile)}");
        }

        SandboxedSnapshot.LockDown(db, [folder]);
        var data = new DataWindow(window.Start, window.End);

        var measureFile = Path.Combine(folder, "bench.measure.yaml");
        File.WriteAllText(measureFile, """
            name: bench
            numerator: { kind: person_time, activity: { setting: apc_emergency } }
            intervals: { unit: month, from: data_start, to: data_end }
            group_by: [sex]
            standardise: esp2013
            practice_comparison: true
            """);
        var measure = MeasureParser.Load(measureFile);
        clock.Restart();
        var (values, practices) = MeasureRunner.Compute(db, measure, data, SdcPolicy.Default);
        Console.WriteLine($"measure: {values.Select(v => v.Interval).Distinct().Count()} months × {values.Select(v => v.Group1).Distinct().Count()} groups in {clock.Elapsed.TotalSeconds:F2}s (one statement for all intervals)");
        if (Environment.GetEnvironmentVariable("LDP_BENCH_DUMP") is { Length: > 0 } dump)
        {
            File.WriteAllLines(dump, values.Select(v => v.ToString()).Concat(practices.Select(p => p.ToString())));
        }

        Console.WriteLine($"  fingerprint: values {OutputFingerprint.Of(values.Select(v => new object?[] { v.Interval, v.Group1, v.Group2, v.Numerator, v.Denominator, v.Value, v.Lower, v.Upper, v.Method, v.Dsr, v.DsrLower, v.DsrUpper }))}; practices {OutputFingerprint.Of(practices.Select(p => new object?[] { p.Practice, p.Observed, p.Expected, p.Ratio, p.Flag }))}");

        // Development aid: LDP_BENCH_COHORTS=telecare times only the cohorts whose file name contains it ("-" for none).
        var only = Environment.GetEnvironmentVariable("LDP_BENCH_COHORTS") ?? "";
        foreach (var file in Directory.GetFiles(Path.Combine(ProjectPaths.SchemasRoot, "cohorts"), "*.cohort.yaml").Order(StringComparer.Ordinal)
                     .Where(f => Path.GetFileName(f).Contains(only, StringComparison.Ordinal)))
        {
            var definition = CohortParser.Load(file);
            var times = new List<double>();
            CohortBuild? build = null;
            for (var i = 0; i < 5; i++)
            {
                var run = Stopwatch.StartNew();
                build = CohortBuilder.Build(db, definition, data);
                times.Add(run.Elapsed.TotalSeconds);
            }

            var size = build!.People;

            times.Sort();
            Console.WriteLine($"cohort {definition.Name}: {size:N0} people, median {times[2]:F2}s over 5 runs (min {times[0]:F2}s, max {times[4]:F2}s)");
            // Not timed: what a change to the SQL must leave unchanged (attrition, and every row of the person-level table).
            Console.WriteLine($"  attrition (people/events per step): {string.Join(", ", build.Attrition.Select(a => $"{a.People}/{a.Events} alone {a.PeoplePassingAlone}/{a.EventsPassingAlone}"))}");
            Console.WriteLine($"  fingerprint: cohort {OutputFingerprint.OfQuery(db, "SELECT * FROM ch_cohort ORDER BY person_id")}");
        }

        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; DuckDB {limits.Threads} threads, memory limit {limits.MemoryLimit}");
    }
}
