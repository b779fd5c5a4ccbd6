using FluentAssertions;
using LinkedDataset.Jobs.Commands;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Cli;

public sealed class CleanFailureTests
{
    [Fact]
    public void Explain_ADiskFullError_SaysTheDiskIsFull_AndWhereTheDetailsAre()
    {
        // What .NET raises on Linux when a write hits ENOSPC.
        var (message, code) = CommandRunner.Explain(new IOException("No space left on device : '/data/lake/x.parquet'"), "/data/logs/error-1.log");

        code.Should().Be(1);
        message.Should().StartWith("The disk is full (No space left on device : '/data/lake/x.parquet')")
            .And.Contain("temporary files are cleaned up on the next run").And.EndWith("Details: /data/logs/error-1.log");
    }

    [Fact]
    public void Explain_KeepsPipelineMessages_AndNamesTheUnexpected()
    {
        CommandRunner.Explain(new PipelineException("apc.yaml: line 3, field 'x' is not a known field."), null)
            .Should().Be(("apc.yaml: line 3, field 'x' is not a known field.", 1));
        var (message, code) = CommandRunner.Explain(new InvalidOperationException("boom\n   at Somewhere()"), "/tmp/e.log");
        code.Should().Be(CommandRunner.UnexpectedFailure);
        message.Should().Be("Unexpected failure (InvalidOperationException: boom). Nothing further was done. Details: /tmp/e.log");
    }

    [Fact]
    public void AtomicWrite_ThatFails_LeavesNoTemporaryFile_AndStaleOnesAreRemoved()
    {
        using var folder = new TempFolder();
        var target = folder.Combine("registry.json");

        var act = () => AtomicFile.Write(target, temporary =>
        {
            File.WriteAllText(temporary, "half");
            throw new IOException("No space left on device");
        });

        act.Should().Throw<IOException>();
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty("the half-written temporary file is removed and nothing replaced the target");

        // A temporary file a killed process left an hour ago is removed; a fresh one is left to its writer.
        var stale = folder.Combine(".registry.json.tmp-0badf00d");
        var fresh = folder.Combine(".registry.json.tmp-0000abcd");
        File.WriteAllText(stale, "");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        File.WriteAllText(fresh, "");

        AtomicFile.RemoveStale(folder.Path, DatasetPreflight.StaleAfter).Should().Be(1);
        File.Exists(stale).Should().BeFalse();
        File.Exists(fresh).Should().BeTrue();
    }
}
