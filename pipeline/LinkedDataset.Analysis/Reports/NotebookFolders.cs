using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Reports;

/// <summary>
/// Where a notebook (<c>notebooks/*.cs</c>) reads and writes, from its command line:
/// <c>dotnet run notebooks/NAME.cs -- [--data DIR] [--out DIR]</c>. The dataset folder defaults to <c>data</c>,
/// the output folder to <c>DIR/notebooks/NAME/</c> (created). One parser, so every notebook takes the same arguments.
/// </summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="Output">The notebook's output folder (exists).</param>
public sealed record NotebookFolders(DatasetLayout Layout, string Output)
{
    /// <summary>Reads <c>--data</c> and <c>--out</c> from <paramref name="args"/> for the notebook called <paramref name="name"/>.</summary>
    /// <exception cref="PipelineException">An option is given without a value.</exception>
    public static NotebookFolders From(IReadOnlyList<string> args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        var layout = new DatasetLayout(Path.GetFullPath(Value(args, "--data") ?? "data"));
        var output = Path.GetFullPath(Value(args, "--out") ?? Path.Combine(layout.Root, "notebooks", name));
        Directory.CreateDirectory(output);
        return new NotebookFolders(layout, output);
    }

    /// <summary>The current snapshot's id, or an error saying how to publish one.</summary>
    public string CurrentSnapshot => Layout.CurrentSnapshotId
        ?? throw new PipelineException($"No snapshot has been published in {Layout.Root}. Run 'ldp run --data {Layout.Root}' first.");

    private static string? Value(IReadOnlyList<string> args, string option)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == option)
            {
                return i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[i + 1]
                    : throw new PipelineException($"Notebook option {option} needs a folder after it.");
            }
        }

        return null;
    }
}
