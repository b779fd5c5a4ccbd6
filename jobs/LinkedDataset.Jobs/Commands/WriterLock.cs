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

    private static TimeSpan Timeout() =>
        double.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : DatasetLock.DefaultTimeout;
}
