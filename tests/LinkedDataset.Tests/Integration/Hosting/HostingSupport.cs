using Hangfire;
using Hangfire.Storage;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Jobs.Hosting.Jobs;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace LinkedDataset.Tests.Integration.Hosting;

/// <summary>Hosting tests share Hangfire's static configuration, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostingCollection
{
    public const string Name = "Hosting";
}

/// <summary>Landing folders, settings and waits shared by the hosting tests.</summary>
internal static class HostingSupport
{
    /// <summary>Every schedule off: tests trigger the jobs themselves.</summary>
    public static readonly Schedules NoSchedules = new("off", "off", "off", "off");

    /// <summary>
    /// A small synthetic landing folder: one month for <paramref name="people"/> people, keeping the
    /// first <paramref name="extracts"/> extracts (all pmi files first, so a person index exists).
    /// </summary>
    public static IReadOnlyList<string> WriteLanding(string landing, int people = 1_500, int extracts = 20)
    {
        var scratch = landing + "-generated";
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = people,
            Months = 1,
            Seed = 7,
            OutputFolder = scratch,
            TruthFolder = scratch + "-truth",
        });
        var keep = new[] { "pmi", "gp_event", "apc", "ae", "op", "community", "mental_health", "social_care", "telecare", "intervention" }
            .SelectMany(feed => Directory.GetFiles(Path.Combine(scratch, feed), "*.csv").Order(StringComparer.Ordinal).Select(path => (feed, path)))
            .Take(extracts)
            .ToList();
        Directory.CreateDirectory(Path.Combine(landing, "_reference"));
        File.Copy(Path.Combine(scratch, "_reference", "postcode_lsoa.csv"), Path.Combine(landing, "_reference", "postcode_lsoa.csv"));
        foreach (var (feed, path) in keep)
        {
            Directory.CreateDirectory(Path.Combine(landing, feed));
            File.Copy(path, Path.Combine(landing, feed, Path.GetFileName(path)));
        }

        Directory.Delete(scratch, recursive: true);
        Directory.Delete(scratch + "-truth", recursive: true);
        return keep.Select(k => k.feed + "/" + Path.GetFileName(k.path)).ToList();
    }

    public static ServeSettings Settings(string data, string keyFile, int workers = 2) => new()
    {
        Data = data,
        KeyFile = keyFile,
        Workers = workers,
        DuckDbThreads = 1,
        DuckDbMemory = "1GB",
        Port = 0,
        Schedules = NoSchedules,
    };

    /// <summary>Runs a scan on an in-process Hangfire server over <paramref name="storage"/> and waits until every job it led to has finished.</summary>
    public static string RunScanInProcess(ServeSettings settings, JobStorage storage)
    {
        using var host = ServeHost.BuildWorker(settings, storage, logging: _ => { });
        host.Start();
        try
        {
            var id = new BackgroundJobClient(storage).Enqueue<ScanLandingJob>(job => job.Run(CancellationToken.None));
            WaitUntilIdle(storage, TimeSpan.FromMinutes(3));
            return ResultOf(storage, id) ?? throw new InvalidOperationException($"Scan job {id} did not succeed: {StateOf(storage, id)}.");
        }
        finally
        {
            host.StopAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits until nothing is enqueued, scheduled or processing, several polls in a row.</summary>
    public static void WaitUntilIdle(JobStorage storage, TimeSpan timeout, Func<bool>? alsoRequire = null)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + timeout;
        var quiet = 0;
        while (DateTime.UtcNow < deadline)
        {
            var stats = monitoring.GetStatistics();
            quiet = stats.Enqueued == 0 && stats.Processing == 0 && stats.Scheduled == 0 && (alsoRequire?.Invoke() ?? true) ? quiet + 1 : 0;
            if (quiet >= 5)
            {
                return;
            }

            Thread.Sleep(200);
        }

        var last = monitoring.GetStatistics();
        throw new TimeoutException($"Jobs still running after {timeout}: enqueued {last.Enqueued}, processing {last.Processing}, scheduled {last.Scheduled}, failed {last.Failed}.");
    }

    public static string StateOf(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        return state is null ? "no state" : state.Name + (state.Reason is { } r ? $" ({r})" : "") + (state.Data.TryGetValue("ExceptionMessage", out var m) ? ": " + m : "");
    }

    /// <summary>The value a succeeded job returned, or null when it has not succeeded.</summary>
    public static string? ResultOf(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        return state?.Name == "Succeeded" && state.Data.TryGetValue("Result", out var result) ? System.Text.Json.JsonSerializer.Deserialize<string>(result) : null;
    }

    /// <summary>Every table of a snapshot as sorted rows of text, so two snapshots can be compared by content.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> SnapshotContent(string snapshotFolder)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        var tables = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var folder in Directory.GetDirectories(snapshotFolder).Order(StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(folder, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM read_parquet({Sql.PathList(files)}, union_by_name = true, hive_partitioning = false, filename = true)";
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            var fileColumn = reader.GetOrdinal("filename");
            while (reader.Read())
            {
                var values = new List<string> { Path.GetDirectoryName(Path.GetRelativePath(snapshotFolder, reader.GetString(fileColumn)))! };
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (i != fileColumn)
                    {
                        values.Add(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
                    }
                }

                rows.Add(string.Join("|", values));
            }

            rows.Sort(StringComparer.Ordinal);
            tables[Path.GetFileName(folder)] = rows;
        }

        return tables;
    }

    public static string KeyFile(TempFolder folder)
    {
        TestKeys.Write(folder, fill: 11, name: "hosting.key");
        return folder.Combine("hosting.key");
    }
}
