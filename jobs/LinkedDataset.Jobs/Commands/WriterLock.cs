using System.Globalization;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary>
/// The dataset lock as the commands that write take it: exclusive, waiting for another writer up to
/// <see cref="DatasetLock.DefaultTimeout"/> (or <c>LDP_LOCK_TIMEOUT</c> seconds) with a message saying who it waits for.
/// </summary>
public static class WriterLock
{
    /// <summary>Environment variable: seconds a writer waits for the one before it.</summary>
    public const string TimeoutVariable = "LDP_LOCK_TIMEOUT";

    /// <summary>Takes the lock of <paramref name="layout"/>'s folder for <paramref name="command"/>.</summary>
    public static DatasetLock Take(DatasetLayout layout, string command) =>
        DatasetLock.Acquire(layout, command, LockMode.Exclusive, Timeout(),
            message => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(message) + "[/]"));

    /// <summary>
    /// Takes the lock when <paramref name="folder"/> (where a command writes its output) lies inside the
    /// dataset folder, so an output the user sends elsewhere needs no lock; null when it lies outside.
    /// </summary>
    public static DatasetLock? TakeIfInside(DatasetLayout layout, string folder, string command) =>
        IsInside(layout.Root, folder) ? Take(layout, command) : null;

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies under it.</summary>
    public static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(path));
        return relative == "." || !(relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    private static TimeSpan Timeout() =>
        double.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : DatasetLock.DefaultTimeout;
}
