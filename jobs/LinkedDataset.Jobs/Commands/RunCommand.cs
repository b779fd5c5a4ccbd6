using System.CommandLine;
using LinkedDataset.Jobs.Console;
using LinkedDataset.Jobs.Logging;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp run</c>: the main job, end to end.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var keyFile = CommonOptions.KeyFile();
        var workers = CommonOptions.Workers();
        var memory = CommonOptions.MemoryLimit();
        var people = CommonOptions.WithRange(new Option<int>("--people") { Description = "People in the synthetic population generated when landing is empty (100 to 5,000,000).", DefaultValueFactory = _ => 50_000 }, 100, 5_000_000);
        var months = CommonOptions.WithRange(new Option<int>("--months") { Description = "Months of synthetic extracts generated when landing is empty (1 to 120).", DefaultValueFactory = _ => 24 }, 1, 120);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic population.", DefaultValueFactory = _ => 42 };

        var command = new Command("run", "Run the main job: generate a synthetic population if landing/ is empty, stage and pseudonymise every extract, link them into a Parquet snapshot, and print emergency admissions per 1,000 by age band and IMD quintile with a summary of the run.")
        {
            data, keyFile, workers, memory, people, months, seed,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Create, layout =>
        {
            var options = new MainJobOptions(
                layout.Root, parse.GetValue(keyFile), parse.GetValue(people), parse.GetValue(months), parse.GetValue(seed), parse.GetValue(workers),
                DuckDbLimits.Default with { MemoryLimit = parse.GetValue(memory)! });
            using var writing = WriterLock.Take(layout, "ldp run");
            var log = Path.Combine(layout.Logs, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
            using var file = new FileLoggerProvider(log);
            using var loggers = LoggerFactory.Create(b => b.AddProvider(file));
            var result = SpectreRunProgress.Run(progress => new MainJob(loggers).Run(options, progress));
            RunSummaryPrinter.Print(result, log);
            return 0;
        }));
        return command;
    }
}
