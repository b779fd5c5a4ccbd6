using FluentAssertions;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Reports;

public class NotebookFoldersTests
{
    [Fact]
    public void From_DataFolder_WritesUnderItsNotebooksFolder_AndOutOverridesIt()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");

        var byDefault = NotebookFolders.From(["--data", data], "analyst");
        byDefault.Layout.Root.Should().Be(data);
        byDefault.Output.Should().Be(Path.Combine(data, "notebooks", "analyst"));
        Directory.Exists(byDefault.Output).Should().BeTrue("the notebook writes there straight away");

        NotebookFolders.From(["--data", data, "--out", folder.Combine("elsewhere")], "analyst").Output.Should().Be(folder.Combine("elsewhere"));
    }

    [Fact]
    public void From_DataWithoutAFolder_IsOneClearLine()
    {
        var parse = () => NotebookFolders.From(["--data"], "evaluator");
        parse.Should().Throw<PipelineException>().WithMessage("Notebook option --data needs a folder after it.");
    }
}
