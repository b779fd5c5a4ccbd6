using System.Diagnostics;
using System.Globalization;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/LinkedDataset.Benchmarks -- person-year PEOPLE [FOLDER]</c>: writes a
/// snapshot-shaped dataset of PEOPLE people and 24 months (April 2024 – March 2026) of activity at England's rates
/// per person (generated directly in DuckDB: ~24 rows a person), then builds costed activity, segments,
/// person_month and person_year with the risk model, and prints the time per step and the process's peak
/// resident set (VmHWM). Given an existing FOLDER the data is reused, so a second run measures the build alone.
/// </summary>
public static class PersonYearBenchmark
{
    public static void Run(long people, string? folder)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "ldp-bench-person-year-" + people.ToString(CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        // 4 GB for DuckDB leaves room under a job's 6 GB for .NET and DuckDB's allocations outside its buffer pool.
        var limits = new DuckDbLimits(Environment.ProcessorCount, Environment.GetEnvironmentVariable("LDP_BENCH_MEMORY_LIMIT") ?? "4GB");
        if (!File.Exists(Path.Combine(folder, "done")))
        {
            Generate(people, folder, limits);
            File.WriteAllText(Path.Combine(folder, "done"), "");
            Console.WriteLine($"generated {people:N0} people in {clock.Elapsed.TotalSeconds:F1}s under {folder}");
        }
        else
        {
            Console.WriteLine($"reusing {folder}");
        }

        // Spill files and outputs beside the data folder, never inside it (each subfolder of it is read as a table).
        var scratch = folder.TrimEnd('/') + ".out";
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        Directory.CreateDirectory(scratch);
        clock.Restart();
        using var db = DuckDb.OpenInMemory(limits);
        DuckDb.Execute(db, $"SET temp_directory = {Sql.Literal(Path.Combine(scratch, "spill"))}");
        foreach (var table in Directory.GetDirectories(folder).Select(Path.GetFileName))
        {
            DuckDb.Execute(db, $"CREATE VIEW {table} AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(folder, table!, "*.parquet"))})");
        }

        var window = new MartWindow(new DateOnly(2024, 4, 1), new DateOnly(2026, 3, 31));
        // As MartsBuilder.Build does: the marts written as Parquet (those not already written by BuildTables).
        var marts = Path.Combine(scratch, "marts");
        var (_, score, seconds) = MartsBuilder.BuildTables(db, window, MartReference.Load(), scorer: new RiskModel(), folder: marts);
        var write = Stopwatch.StartNew();
        foreach (var table in MartsBuilder.Tables.Where(t => !Directory.Exists(Path.Combine(marts, t))))
        {
            Directory.CreateDirectory(Path.Combine(marts, table));
            DuckDb.Execute(db, $"COPY {table} TO {Sql.Path(Path.Combine(marts, table, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
        }

        seconds["write"] = write.Elapsed.TotalSeconds;
        var total = clock.Elapsed.TotalSeconds;
        var peak = PeakRssMegabytes();
        var rows = DuckDb.Scalar<long>(db, "SELECT count(*) FROM person_year");
        var activity = DuckDb.Scalar<long>(db, "SELECT count(*) FROM costed_activity");
        Console.WriteLine(
            $"person-year: {people:N0} people, {activity:N0} costed activity rows -> {rows:N0} person_year rows in {total:F1}s " +
            $"({string.Join(", ", seconds.Select(s => $"{s.Key} {s.Value:F1}s"))}); risk AUC {score?.Details.GetValueOrDefault("auc") ?? "-"}; " +
            $"peak RSS (VmHWM) {peak:F0} MB; DuckDB {limits.Threads} threads, memory limit {limits.MemoryLimit}");
        CompareOrDump(db);
        Directory.Delete(scratch, recursive: true);
    }

    /// <summary>Tables compared by <see cref="CompareOrDump"/>: the published marts.</summary>
    private static readonly string[] Compared = ["costed_activity", "person_month", "person_year"];

    /// <summary>
    /// With <c>LDP_MARTS_DUMP=DIR</c> writes each mart table to <c>DIR/table.parquet</c>; with <c>LDP_MARTS_COMPARE=DIR</c>
    /// compares each table with that dump as a multiset of whole rows both ways, so a change of SQL can be checked to give
    /// the same marts on the same data. Runs after the figures are taken.
    /// </summary>
    private static void CompareOrDump(DuckDB.NET.Data.DuckDBConnection db)
    {
        if (Environment.GetEnvironmentVariable("LDP_MARTS_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            foreach (var table in Compared)
            {
                DuckDb.Execute(db, $"COPY (SELECT * FROM {table}) TO {Sql.Path(Path.Combine(dump, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
            }

            Console.WriteLine($"dumped {string.Join(", ", Compared)} to {dump}");
        }

        if (Environment.GetEnvironmentVariable("LDP_MARTS_COMPARE") is { Length: > 0 } compare)
        {
            foreach (var table in Compared)
            {
                var other = $"read_parquet({Sql.Path(Path.Combine(compare, table + ".parquet"))})";
                var columns = DuckDb.Query(db, $"SELECT column_name, column_type FROM (DESCRIBE {table})", r => (Name: r.GetString(0), Type: r.GetString(1)));
                var names = string.Join(", ", columns.Select(c => Sql.Identifier(c.Name)));
                // Doubles compared to 9 significant digits: sums in a different order differ in the last bits.
                var rounded = string.Join(", ", columns.Select(c => c.Type == "DOUBLE"
                    ? $"CASE WHEN {Sql.Identifier(c.Name)} = 0 THEN 0 ELSE round({Sql.Identifier(c.Name)} / pow(10, floor(log10(abs({Sql.Identifier(c.Name)}))) - 8)) END AS {Sql.Identifier(c.Name)}"
                    : Sql.Identifier(c.Name)));
                long Differing(string select) => DuckDb.Scalar<long>(db, $"""
                    WITH a AS (SELECT {select} FROM (SELECT {names} FROM {table})), b AS (SELECT {select} FROM (SELECT {names} FROM {other}))
                    SELECT count(*) FROM ((SELECT * FROM a EXCEPT ALL SELECT * FROM b) UNION ALL (SELECT * FROM b EXCEPT ALL SELECT * FROM a))
                    """);
                var otherRows = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {other}");
                Console.WriteLine($"compare {table}: {DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {table}"):N0} rows here, {otherRows:N0} in dump; " +
                    $"differing rows exact {Differing(names):N0}, doubles to 9 significant digits {Differing(rounded):N0}");
            }
        }
    }

    /// <summary>The process's peak resident set (VmHWM), which counts DuckDB's native memory; the working set peak where there is no /proc.</summary>
    internal static double PeakRssMegabytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }

    internal static void Generate(long people, string folder, DuckDbLimits limits)
    {
        Directory.CreateDirectory(folder);
        using var db = DuckDb.OpenInMemory(limits);
        var schemas = FeedSchemaLoader.LoadAll();
        foreach (var feed in FeedSchemaLoader.FeedNames.Where(f => f != "pmi"))
        {
            var columns = string.Join(", ", schemas[feed].ContentColumns.Select(c => $"{Sql.Identifier(c.Name)} {c.DuckDbType}"));
            DuckDb.Execute(db, $"CREATE TABLE {feed} (person_id BIGINT, link_method VARCHAR, {columns})");
        }

        // A deterministic pseudo-random number in [0, 1) from a row id and a salt.
        const string U = "(hash(i * 7919 + {0}) % 1000000) / 1000000.0";
        string R(int salt) => string.Format(CultureInfo.InvariantCulture, U, salt);
        var n = people;
        DuckDb.Execute(db, $"""
            CREATE TABLE person AS
            SELECT i AS person_id,
                   strftime(DATE '1925-01-01' + CAST({R(1)} * 36000 AS INTEGER), '%Y-%m') AS birth_month,
                   CASE WHEN {R(2)} < 0.5 THEN '1' ELSE '2' END AS sex, 'E01000000' AS lsoa11cd,
                   1 + CAST({R(3)} * 10 AS INTEGER) AS imd_decile, NULL::INTEGER AS imd_quintile, 'Maidstone' AS district, 'G1' AS practice_code,
                   DATE '2010-01-01' AS first_registered, NULL::DATE AS registered_until,
                   CASE WHEN {R(4)} < 0.02 THEN DATE '2024-04-01' + CAST({R(5)} * 700 AS INTEGER) END AS date_of_death
            FROM range(1, {n + 1}) t(i);
            UPDATE person SET imd_quintile = CAST(ceil(imd_decile / 2.0) AS INTEGER);
            CREATE TABLE registration AS
            SELECT person_id, 'R' || person_id AS registration_id, 'G1' AS practice_code, DATE '2010-01-01' AS registration_start_date,
                   date_of_death AS registration_end_date, date_of_death FROM person;
            CREATE TABLE ages AS
            SELECT person_id, 2025 - CAST(left(birth_month, 4) AS INTEGER) AS age FROM person;
            """);
        // Rows per person over two years ~ rate x 2 x an age factor; events spread over 730 days.
        void Events(string feed, double perPersonPerYear, string select)
        {
            DuckDb.Execute(db, $"""
                INSERT INTO {feed} BY NAME
                WITH k AS (
                  SELECT a.person_id, a.age, g.j FROM ages a,
                    LATERAL (SELECT unnest(range(0, CAST(floor({perPersonPerYear} * 2 * (0.4 + a.age / 50.0) + (hash(a.person_id * 31 + {feed.Length}) % 1000) / 1000.0) AS INTEGER))) AS j) g
                ), e AS (
                  SELECT person_id, age, j, person_id * 1000 + j AS i, DATE '2024-04-01' + CAST((hash(person_id * 131 + j * 17 + {feed.Length}) % 730) AS INTEGER) AS d FROM k
                )
                SELECT person_id, 'deterministic' AS link_method, 'P1' AS provider_code, {select} FROM e
                """);
        }

        Events("gp_event", 5.5, $"'A' || i AS event_id, d AS event_date, 'A' AS event_type, 'Attended' AS appt_status, CASE WHEN {R(6)} < 0.5 THEN 'GP' ELSE 'Other Practice staff' END AS hcp_type");
        Events("gp_event", 1.5, $"'C' || i AS event_id, d - 400 AS event_date, 'C' AS event_type, ['38341003', '73211009', '195967001', '1912002', '84114007', '13645005'][1 + CAST(floor({R(7)} * 6) AS INTEGER)] AS snomedct_code");
        Events("apc", 0.27, $"'S' || i AS apcs_ident, d AS admission_date, d + CAST({R(8)} * 8 AS INTEGER) AS discharge_date, CASE WHEN {R(9)} < 0.45 THEN '21' WHEN {R(9)} < 0.9 THEN '11' ELSE '31' END AS admission_method, CASE WHEN {R(10)} < 0.5 THEN '2' ELSE '1' END AS patient_classification, CASE WHEN {R(11)} < 0.1 THEN 'I214' ELSE 'R69X' END AS primary_diagnosis, 'E119,I10X' AS secondary_diagnoses, '300' AS treatment_function_code, CAST(1000 + {R(12)} * 3000 AS DECIMAL(18,2)) AS spell_tariff");
        Events("ae", 0.45, $"'E' || i AS ec_ident, d AS arrival_date, CASE WHEN {R(13)} < 0.3 THEN '1048031000000100' ELSE '1048071000000103' END AS ec_arrival_mode_snomed_ct");
        Events("op", 1.8, $"'O' || i AS opa_ident, d AS appointment_date, CASE WHEN {R(14)} < 0.9 THEN '5' ELSE '3' END AS attendance_status, '1' AS first_attendance, '320' AS treatment_function_code, '320' AS main_specialty_code");
        Events("community", 2.0, $"'C' || i AS care_contact_id, d AS contact_date, 'District nursing' AS team_type, '5' AS attendance_status");
        Events("mental_health", 0.4, $"'M' || i AS uniq_care_cont_id, d AS care_cont_date, 'A06' AS serv_team_type_ref_to_mh, '5' AS attend_or_dna_code");
        Events("social_care", 0.012, $"'SC' || i AS event_reference, 'LA' || person_id AS la_person_unique_identifier, 'Service User' AS client_type, 'Service' AS event_type, d - 200 AS event_start_date, CASE WHEN {R(15)} < 0.5 THEN d + 100 END AS event_end_date, CASE WHEN {R(16)} < 0.3 THEN 'Long Term Support: Residential Care' ELSE 'Long Term Support: Community' END AS service_type, CASE WHEN {R(16)} < 0.3 THEN 'Long Term Residential Care' ELSE 'Home Support' END AS service_component, CAST(CASE WHEN {R(16)} < 0.3 THEN 1 ELSE 10 END AS DECIMAL(18,2)) AS planned_units_per_week, CAST(CASE WHEN {R(16)} < 0.3 THEN 900 ELSE 27 END AS DECIMAL(18,2)) AS unit_cost, CASE WHEN {R(16)} < 0.3 THEN 'Weekly' ELSE 'Hourly' END AS cost_frequency_unit_type");
        Events("telecare", 0.01, "'TI' || i AS tec_event_id, 'TC' || person_id AS client_id, 'INSTALL' AS event_type, d - 300 AS event_date, 'pendant' AS trigger_device_type");
        Events("telecare", 0.06, $"'TC' || i AS tec_event_id, 'TC' || person_id AS client_id, 'CALL' AS event_type, d AS event_date, 'pendant' AS trigger_device_type, 'fall' AS call_reason, {R(17)} < 0.1 AS ambulance_requested, {R(17)} < 0.05 AS conveyed");
        foreach (var table in new[] { "person", "registration" }.Concat(FeedSchemaLoader.FeedNames.Where(f => f != "pmi")))
        {
            Directory.CreateDirectory(Path.Combine(folder, table));
            DuckDb.Execute(db, $"COPY {table} TO {Sql.Path(Path.Combine(folder, table, "part.parquet"))} (FORMAT parquet, COMPRESSION zstd)");
            Console.WriteLine($"  {table}: {DuckDb.Scalar<long>(db, $"SELECT count(*) FROM {table}"):N0} rows");
        }
    }
}
