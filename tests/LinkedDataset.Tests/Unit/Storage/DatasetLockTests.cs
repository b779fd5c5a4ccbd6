using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Storage;

/// <summary>
/// The dataset lock is an OS lock on one file (flock on Linux): two opens of it conflict even within
/// one process, which is what lets these tests show the rules without a second process.
/// </summary>
public class DatasetLockTests
{
    [Fact]
    public void SecondWriter_WaitsAndThenExitsWithAMessageNamingTheHolder()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        using var first = DatasetLock.Acquire(layout, "ldp run");
        var told = new List<string>();

        var second = () => DatasetLock.Acquire(layout, "ldp marts", timeout: TimeSpan.FromMilliseconds(600), waiting: told.Add);

        second.Should().Throw<PipelineException>().WithMessage($"Another ldp command is writing to {layout.Root} (ldp run, process {Environment.ProcessId}, since *) and it was still writing after 1 s*");
        told.Should().ContainSingle().Which.Should().Contain("waiting up to 1 s");
    }

    [Fact]
    public void Lock_IsFreeAgain_OnceTheWriterReleasesIt()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        DatasetLock.Acquire(layout, "ldp run").Dispose();

        using var again = DatasetLock.Acquire(layout, "ldp dq", timeout: TimeSpan.Zero);

        File.ReadAllText(layout.LockHolderFile).Should().StartWith("ldp dq, process ");
    }

    [Fact]
    public void ServeJobs_ShareTheLock_ButACommandWaitsForThem_AndTheyForIt()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        using (DatasetLock.Acquire(layout, "ldp serve: stage", LockMode.Shared))
        using (DatasetLock.Acquire(layout, "ldp serve: stage", LockMode.Shared, TimeSpan.Zero))
        {
            var command = () => DatasetLock.Acquire(layout, "ldp run", timeout: TimeSpan.Zero);
            command.Should().Throw<PipelineException>().WithMessage("*ldp serve jobs*");
        }

        using var exclusive = DatasetLock.Acquire(layout, "ldp run", timeout: TimeSpan.Zero);
        var job = () => DatasetLock.Acquire(layout, "ldp serve: publish", LockMode.Shared, TimeSpan.Zero);
        job.Should().Throw<PipelineException>().WithMessage("*(ldp run, process*");
    }
}
