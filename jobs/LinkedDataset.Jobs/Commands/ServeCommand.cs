using System.CommandLine;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Pipeline.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp serve</c>: the Hangfire server and dashboard that keep the dataset up to date.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A JSON settings file read after appsettings.json (same keys)." };
        var data = new Option<string?>("--data") { Description = "Dataset folder (setting Data, default ./data). Every worker must see the same folder." };
        var landing = new Option<string?>("--landing") { Description = "Landing folder (setting Landing), default <data>/landing." };
        var keyFile = CommonOptions.KeyFile();
        var storage = new Option<string?>("--storage") { Description = "Hangfire storage (setting Storage): inmemory (default, embedded, one process) or postgres." };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string for --storage postgres (setting Connection)." };
        var bind = new Option<string?>("--bind") { Description = "Address the dashboard listens on (setting Bind, default 127.0.0.1). A non-loopback address needs Dashboard:User/Password or Dashboard:Token." };
        var port = new Option<int?>("--port") { Description = "Dashboard port (setting Port, default 5080; 0 picks a free one)." };
        var worker = new Option<bool>("--worker") { Description = "Run jobs only, without the dashboard: for scale-out machines sharing PostgreSQL storage and the dataset folder." };
        var workers = new Option<int?>("--workers") { Description = "Jobs this process runs at once (setting Workers, default half the cores)." };
        var threads = new Option<int?>("--duckdb-threads") { Description = "DuckDB threads per job (setting DuckDbThreads, default 2). Keep workers × threads ≤ cores." };
        var memory = new Option<string?>("--duckdb-memory") { Description = "DuckDB memory limit per job, e.g. 2GB (setting DuckDbMemory). Keep workers × memory within the machine's memory." };
        var schedule = new Option<string[]>("--schedule")
        {
            Description = "A recurring job's cron (UTC), NAME=CRON, repeatable; NAME is ScanLanding, Publish, DataQuality or Reports; CRON \"off\" removes it. Setting Schedules:NAME.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("serve", "Run the Hangfire server with the dashboard on http://127.0.0.1:5080: scans landing on a schedule, stages new extracts in parallel, links and publishes snapshots one at a time. Settings come from appsettings.json, LDP_* environment variables, then these options.")
        {
            config, data, landing, keyFile, storage, connection, bind, port, worker, workers, threads, memory, schedule,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(() =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, object? value)
            {
                if (value is not null)
                {
                    overrides[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Set("Data", parse.GetValue(data));
            Set("Landing", parse.GetValue(landing));
            Set("KeyFile", parse.GetValue(keyFile));
            Set("Storage", parse.GetValue(storage));
            Set("Connection", parse.GetValue(connection));
            Set("Bind", parse.GetValue(bind));
            Set("Port", parse.GetValue(port));
            Set("Workers", parse.GetValue(workers));
            Set("DuckDbThreads", parse.GetValue(threads));
            Set("DuckDbMemory", parse.GetValue(memory));
            if (parse.GetValue(worker))
            {
                Set("Worker", true);
            }

            foreach (var item in parse.GetValue(schedule) ?? [])
            {
                var equals = item.IndexOf('=', StringComparison.Ordinal);
                var name = equals > 0 ? item[..equals].Trim() : "";
                if (name.Length == 0 || !new[] { "ScanLanding", "Publish", "DataQuality", "Reports" }.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new PipelineException($"--schedule '{item}' is not NAME=CRON with NAME one of ScanLanding, Publish, DataQuality, Reports.");
                }

                overrides["Schedules:" + name] = item[(equals + 1)..].Trim();
            }

            return LoadSettings(parse.GetValue(config), overrides);
        }, cancellationToken));
        return command;
    }

    /// <summary>appsettings.json beside the program, then <paramref name="configFile"/>, then LDP_* environment variables, then <paramref name="overrides"/>.</summary>
    public static ServeSettings LoadSettings(string? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new PipelineException($"--config {configFile}: no such file.");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        var configuration = builder.AddEnvironmentVariables("LDP_").AddInMemoryCollection(overrides).Build();
        return ServeSettings.From(configuration);
    }

    private static async Task<int> RunAsync(Func<ServeSettings> settingsFactory, CancellationToken cancellationToken)
    {
        try
        {
            var settings = settingsFactory();
            var storage = ServeHost.CreateStorage(settings);
            if (settings.CapacityWarning() is { } warning)
            {
                AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
            }

            var where = settings.Storage == StorageKind.InMemory ? "in-memory storage (jobs are lost when this process stops)" : $"PostgreSQL storage (schema {settings.Postgres.Schema})";
            if (settings.Worker)
            {
                using var host = ServeHost.BuildWorker(settings, storage);
                await host.StartAsync(cancellationToken);
                System.Console.WriteLine($"ldp worker running {settings.Workers} job(s) at once on {where}, dataset {settings.Layout.Root}. Ctrl+C stops it.");
                await host.WaitForShutdownAsync(cancellationToken);
                return 0;
            }

            await using var app = ServeHost.BuildServer(settings, storage);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            System.Console.WriteLine($"ldp dashboard on {address}{ServeHost.DashboardPath} ({(settings.Dashboard.Writable ? "writable" : "read-only")}), {settings.Workers} job(s) at once on {where}, dataset {settings.Layout.Root}. Ctrl+C stops it.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception e)
        {
            var (message, code) = CommandRunner.Explain(e, ErrorLog.Write(dataFolder: null, e));
            CommandRunner.PrintError(message);
            return code;
        }
    }
}
