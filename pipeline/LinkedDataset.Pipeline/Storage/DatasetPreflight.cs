using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// Checks a command makes before any work starts, so a wrong <c>--data</c> fails in the first second
/// with one line saying what to do, not after minutes of staging with a stack trace.
/// </summary>
public static class DatasetPreflight
{
    /// <summary>Stale temporary files older than this are removed by the next writer (a live writer renames its own within seconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    /// <summary>A command that reads a dataset: the folder must exist.</summary>
    /// <exception cref="PipelineException">There is no dataset folder at <paramref name="layout"/>.</exception>
    public static void ForReading(DatasetLayout layout)
    {
        if (!Directory.Exists(layout.Root))
        {
            throw new PipelineException(
                $"No dataset folder at {layout.Root}. Give --data the folder 'ldp run' built (default ./data), or run 'ldp run --data {layout.Root}' first.");
        }
    }

    /// <summary>
    /// A command that writes a dataset: the folder must exist (or, with <paramref name="create"/>, is
    /// created) and be writable; temporary files a failed run left behind (a full disk, a killed process)
    /// are removed.
    /// </summary>
    /// <returns>How many stale temporary files were removed.</returns>
    /// <exception cref="PipelineException">The folder is missing, or cannot be created or written.</exception>
    public static int ForWriting(DatasetLayout layout, bool create = false)
    {
        if (!create)
        {
            ForReading(layout);
        }

        var probe = Path.Combine(layout.Root, $".ldp-write-check-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(layout.Root);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException(
                $"The dataset folder {layout.Root} cannot be written ({e.Message.TrimEnd('.')}). Give --data a writable folder (it is created if missing), or fix its permissions or free space.", e);
        }

        return AtomicFile.RemoveStale(layout.Root, StaleAfter);
    }
}
