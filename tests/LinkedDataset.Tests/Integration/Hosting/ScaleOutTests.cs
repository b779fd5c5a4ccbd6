using System.Diagnostics;
using FluentAssertions;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Jobs.Hosting.Jobs;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace LinkedDataset.Tests.Integration.Hosting;

[Collection(HostingCollection.Name)]
public class ScaleOutTests(ITestOutputHelper output)
{
    /// <summary>
    /// Two <c>ldp serve --worker</c> processes share PostgreSQL and one dataset folder. 20 extracts
    /// land; one worker is killed while it stages one of them. Its job becomes visible again after
    /// the invisibility timeout and the other worker finishes it. Every extract is staged by exactly
    /// one job, one publish makes the snapshot, and its content equals a single-process run.
    /// </summary>
    [PostgresFact]
    public void TwoWorkers_StageAndPublishEveryExtractOnce_WhenOneIsKilledWhileStaging()
    {
        using var folder = new TempFolder();
        var key = HostingSupport.KeyFile(folder);
        var data = folder.Combine("data");
        var layout = new DatasetLayout(data);
        var incoming = folder.Combine("incoming");
        var files = HostingSupport.WriteLanding(incoming, people: 6_000, extracts: 20);
        files.Should().HaveCount(20);

        var schema = "ldp_test_" + Guid.NewGuid().ToString("N")[..10];
        var storage = PostgresStorage(schema);
        var workers = new List<Worker>();
        try
        {
            workers.Add(Worker.Start(folder, "a", data, key, schema));
            workers.Add(Worker.Start(folder, "b", data, key, schema));
            var servers = WaitForServers(storage, workers);

            // Drop the extracts (each written elsewhere and renamed in, as providers should), then scan.
            DropInto(incoming, layout.Landing, files);
            var client = new BackgroundJobClient(storage);
            var scan = client.Enqueue<ScanLandingJob>(job => job.Run(CancellationToken.None));

            // Kill worker a while it is staging an extract (after the scan has enqueued everything).
            var killed = KillWhileStaging(storage, workers[0], servers[0], scan);
            output.WriteLine($"Killed worker a while it staged job {killed}.");

            HostingSupport.WaitUntilIdle(storage, TimeSpan.FromMinutes(4), alsoRequire: () => layout.CurrentSnapshotId is not null);

            // Every extract staged, each by exactly one job, which succeeded.
            var landed = LandingScanner.Scan(layout);
            landed.Should().HaveCount(20);
            landed.Select(e => ExtractStager.TryReadReport(layout.StagingReport(e.Feed, e.ExtractId))?.Status).Should().AllBe(StagingReport.Staged);
            var stagingJobs = Jobs(storage).Where(j => j.Method == nameof(StageExtractJob.Run) && j.Type == typeof(StageExtractJob)).ToList();
            stagingJobs.Select(j => j.Args[2]).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(landed.Select(e => e.ExtractId));
            stagingJobs.Select(j => j.State).Should().AllBe("Succeeded");

            // The killed job was taken over by the other worker.
            var history = ProcessingServers(storage, killed);
            history.Should().Contain(servers[0]).And.Contain(servers[1]);

            // Published exactly once: one publish job made the snapshot, the others found nothing to do.
            var publishes = Jobs(storage).Where(j => j.Type == typeof(PublishSnapshotJob)).ToList();
            publishes.Should().HaveCount(20).And.OnlyContain(j => j.State == "Succeeded");
            // One publish links and writes the snapshot; one that was waiting finds CURRENT already holds its extracts,
            // even when the first outlived the Hangfire lock's 30 s timeout (the dataset's publish lock does not expire).
            publishes.Count(j => HostingSupport.ResultOf(storage, j.Id)!.StartsWith("Published snapshot", StringComparison.Ordinal))
                .Should().Be(1, string.Join("\n", publishes.Select(j => HostingSupport.ResultOf(storage, j.Id))));
            Directory.GetDirectories(layout.Snapshots).Should().ContainSingle();
            var snapshot = layout.CurrentSnapshotId!;
            SnapshotManifest.Read(layout.Snapshot(snapshot)).Extracts.Select(e => e.ExtractId)
                .Should().OnlyHaveUniqueItems().And.BeEquivalentTo(landed.Select(e => e.ExtractId));

            // The same inputs in one process on the embedded storage give the same snapshot.
            var single = new DatasetLayout(folder.Combine("single"));
            DropInto(incoming, single.Landing, files);
            HostingSupport.RunScanInProcess(HostingSupport.Settings(single.Root, key, workers: 1), new InMemoryStorage());
            single.CurrentSnapshotId.Should().Be(snapshot);
            var expected = HostingSupport.SnapshotContent(single.Snapshot(snapshot));
            var actual = HostingSupport.SnapshotContent(layout.Snapshot(snapshot));
            actual.Keys.Should().BeEquivalentTo(expected.Keys);
            foreach (var (table, rows) in expected)
            {
                actual[table].Should().Equal(rows, $"table {table} should match the single-process run");
            }
        }
        catch
        {
            foreach (var worker in workers)
            {
                output.WriteLine($"--- worker {worker.Name} output ---\n{worker.Output()}");
            }

            throw;
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            DropSchema(schema);
        }
    }

    private static PostgreSqlStorage PostgresStorage(string schema)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = schema, PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(PostgresFactAttribute.ConnectionString!, options), options);
    }

    private static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(PostgresFactAttribute.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }

    private static void DropInto(string from, string landing, IEnumerable<string> files)
    {
        Directory.CreateDirectory(Path.Combine(landing, "_reference"));
        File.Copy(Path.Combine(from, "_reference", "postcode_lsoa.csv"), Path.Combine(landing, "_reference", "postcode_lsoa.csv"));
        foreach (var file in files)
        {
            var target = Path.Combine(landing, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(from, file), target + ".part");
            File.Move(target + ".part", target);
        }
    }

    /// <summary>The Hangfire server id of each worker, once both have registered.</summary>
    private static string[] WaitForServers(JobStorage storage, IReadOnlyList<Worker> workers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var servers = storage.GetMonitoringApi().Servers();
            var ids = workers.Select(w => servers.FirstOrDefault(s => s.Name.Split(':').Contains(w.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)))?.Name).ToArray();
            if (ids.All(id => id is not null))
            {
                return ids!;
            }

            foreach (var worker in workers.Where(w => w.HasExited))
            {
                throw new InvalidOperationException($"Worker {worker.Name} exited early:\n{worker.Output()}");
            }

            Thread.Sleep(250);
        }

        throw new TimeoutException("The workers did not register with Hangfire within 90 s.");
    }

    private static string KillWhileStaging(JobStorage storage, Worker worker, string serverId, string scanJob)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (HostingSupport.ResultOf(storage, scanJob) is not null)
            {
                // Prefer the largest extracts (gp_event, a couple of seconds to stage): a small one can finish
                // between the check below and the kill, and then nothing is left to take over. Any staging job
                // after 60 s, in case this worker is never given one.
                var anyFeed = DateTime.UtcNow > deadline.AddSeconds(-60);
                var staging = monitoring.ProcessingJobs(0, 100)
                    .FirstOrDefault(j => j.Value.ServerId == serverId && j.Value.Job?.Type == typeof(StageExtractJob)
                        && (anyFeed || j.Value.Job.Args[0] as string == "gp_event"));
                if (staging.Key is not null)
                {
                    // Let the worker get into the job (past the state change to Processing, whose
                    // short-lived lock would otherwise be left for the lock timeout), then kill it if
                    // it is still staging.
                    Thread.Sleep(150);
                    if (monitoring.ProcessingJobs(0, 100).Any(j => j.Key == staging.Key && j.Value.ServerId == serverId))
                    {
                        worker.Kill();
                        return staging.Key;
                    }
                }
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"Worker {worker.Name} was never seen staging an extract after the scan ({HostingSupport.StateOf(storage, scanJob)}).");
    }

    private sealed record JobRow(string Id, Type Type, string Method, IReadOnlyList<string> Args, string State);

    /// <summary>Every job in the storage, whatever its state.</summary>
    private static List<JobRow> Jobs(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var ids = monitoring.SucceededJobs(0, 1000).Select(j => j.Key)
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.ScheduledJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.EnqueuedJobs("default", 0, 1000).Select(j => j.Key))
            .Distinct();
        using var connection = storage.GetConnection();
        return ids.Select(id =>
        {
            var data = connection.GetJobData(id)!;
            var args = data.Job.Args.Select(a => a is CancellationToken ? "" : Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
            return new JobRow(id, data.Job.Type, data.Job.Method.Name, args, data.State);
        }).ToList();
    }

    /// <summary>The servers a job was processing on, in order.</summary>
    private static List<string> ProcessingServers(JobStorage storage, string jobId) =>
        storage.GetMonitoringApi().JobDetails(jobId).History
            .Where(h => h.StateName == "Processing" && h.Data.ContainsKey("ServerId"))
            .Select(h => h.Data["ServerId"])
            .Reverse()
            .ToList();

    /// <summary>One <c>ldp serve --worker</c> process, run from the test's output folder.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process process;
        private readonly System.Text.StringBuilder output = new();

        private Worker(string name, Process process)
        {
            Name = name;
            this.process = process;
        }

        public string Name { get; }

        public int ProcessId => process.Id;

        public bool HasExited => process.HasExited;

        public static Worker Start(TempFolder folder, string name, string data, string keyFile, string schema)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder.Path,
            };
            foreach (var argument in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "ldp.dll"), "serve", "--worker",
                "--storage", "postgres", "--connection", PostgresFactAttribute.ConnectionString!,
                "--data", data, "--key-file", keyFile, "--workers", "2", "--duckdb-threads", "1", "--duckdb-memory", "1GB",
                "--schedule", "ScanLanding=off", "--schedule", "Publish=off", "--schedule", "DataQuality=off", "--schedule", "Reports=off",
            })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["LDP_POSTGRES__SCHEMA"] = schema;
            start.Environment["LDP_POSTGRES__INVISIBILITYTIMEOUT"] = "00:00:10";
            start.Environment["LDP_POSTGRES__POLLINTERVAL"] = "00:00:01";
            // Locks left by the killed worker expire after this (a publish here takes a few seconds).
            start.Environment["LDP_POSTGRES__LOCKTIMEOUT"] = "00:00:30";
            var process = Process.Start(start)!;
            var worker = new Worker(name, process);
            process.OutputDataReceived += (_, e) => worker.Append(e.Data);
            process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        public void Kill() => process.Kill(entireProcessTree: true);

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
