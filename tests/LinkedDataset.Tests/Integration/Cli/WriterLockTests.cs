using FluentAssertions;
using Hangfire.InMemory;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Jobs.Hosting.Jobs;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Integration.Hosting;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Tests.Integration.Cli;

/// <summary>
/// One writer per dataset folder: while another command holds the dataset lock, every command that
/// writes under the folder is refused (LDP_LOCK_TIMEOUT=0: no waiting) with one line naming the holder
/// and exit 1, before it writes anything, and never with a stack trace.
/// </summary>
public sealed class WriterLockTests
{
    private const string Holder = "ldp run (held by WriterLockTests)";

    public static TheoryData<string, string[]> Writers => new()
    {
        { "reports", ["reports"] },
        { "cohort run", ["cohort", "run", Example("cohorts", "frail-75-plus-emergency.cohort.yaml")] },
        { "measures", ["measures", Example("cohorts", "emergency-admissions-month-imd.measure.yaml")] },
        { "demand", ["demand", "--scenario", Example("scenarios", "demographic_only.yaml")] },
        { "evaluate --spec", ["evaluate", "--spec", Example("evaluations", "social_prescribing.yaml")] },
    };

    [Theory]
    [MemberData(nameof(Writers))]
    public void Command_IsRefused_WhileAnotherWriterHoldsTheDataset(string name, string[] args)
    {
        using var data = new TempFolder();
        using var held = DatasetLock.Acquire(new DatasetLayout(data.Path), Holder);

        var output = Run(data.Path, args);

        ShouldBeRefused(output, name, data.Path);
    }

    [Fact]
    public void EvaluateTable_IntoTheDatasetFolder_IsRefused_WhileAnotherWriterHoldsIt()
    {
        using var data = new TempFolder();
        var table = data.Combine("cohort.csv");
        File.WriteAllText(table, "person_id,treated,outcome\n1,1,0\n2,0,1\n");
        using var held = DatasetLock.Acquire(new DatasetLayout(data.Path), Holder);

        var output = Run(data.Path, ["evaluate", "--table", table, "--treatment", "treated", "--outcome", "outcome"]);

        ShouldBeRefused(output, "evaluate --table", data.Path);
        Directory.Exists(data.Combine("cohort-evaluation")).Should().BeFalse("nothing is written while refused");
    }

    [Fact]
    public void ScheduledReportsJob_WaitsForTheCommandHoldingTheDataset_AndFailsForHangfireToRetry()
    {
        using var data = new TempFolder();
        using var held = DatasetLock.Acquire(new DatasetLayout(data.Path), Holder);
        var environment = new JobEnvironment(HostingSupport.Settings(data.Path, keyFile: data.Combine("no.key")), new InMemoryStorage(), NullLoggerFactory.Instance)
        {
            LockTimeout = TimeSpan.Zero,
        };

        var job = () => new ReportsJob(environment).Run(CancellationToken.None);

        job.Should().Throw<PipelineException>().WithMessage($"*{Holder}*");
    }

    private static LdpOutput Run(string data, string[] args) =>
        LdpProcess.Run(new Dictionary<string, string> { ["LDP_LOCK_TIMEOUT"] = "0" }, [.. args, "--data", data]);

    private static void ShouldBeRefused(LdpOutput output, string name, string data)
    {
        output.ExitCode.Should().Be(1, $"{name}: {output}");
        output.Stderr.Trim().Split('\n').Should().ContainSingle($"{name} prints one line: {output}")
            .Which.Should().StartWith($"error: Another ldp command is writing to {data} ({Holder}");
        output.All.Should().NotContain("   at ", "a user never sees a stack trace");
    }

    private static string Example(string folder, string file) => Path.Combine(RepoPaths.Root, "schemas", folder, file);
}
