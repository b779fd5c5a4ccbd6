using System.Diagnostics;
using System.Globalization;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// One writer per dataset folder: an OS lock on <c>&lt;data&gt;/.ldp.lock</c>, held while a command
/// writes. A command (<c>ldp run</c>, <c>rekey</c>, <c>marts</c>, <c>dq</c>, <c>extract</c>, <c>reports</c>, <c>cohort run</c>,
/// <c>measures</c>, and <c>demand</c> and <c>evaluate</c> when their output lies in the dataset folder) takes it
/// <see cref="LockMode.Exclusive"/>; the jobs of <c>ldp serve</c> take it <see cref="LockMode.Shared"/>
/// around their writes (they already coordinate with each other through Hangfire's distributed locks),
/// so a command waits for running jobs and jobs wait for a command. The lock belongs to the open file,
/// so the operating system releases it when the process ends, however it ends: a killed writer never
/// leaves the folder locked.
/// </summary>
public sealed class DatasetLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly FileStream stream;
    private readonly string? holderFile;

    private DatasetLock(FileStream stream, string? holderFile)
    {
        this.stream = stream;
        this.holderFile = holderFile;
    }

    /// <summary>How long a writer waits by default for the one before it.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Takes the lock of <paramref name="layout"/>'s folder, waiting up to <paramref name="timeout"/> for
    /// the writer holding it; <paramref name="waiting"/> is told once, with who holds it, when it has to wait.
    /// Throws a <see cref="PipelineException"/> naming the holder when the wait runs out.
    /// </summary>
    public static DatasetLock Acquire(DatasetLayout layout, string command, LockMode mode = LockMode.Exclusive, TimeSpan? timeout = null, Action<string>? waiting = null)
    {
        Directory.CreateDirectory(layout.Root);
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var told = false;
        while (true)
        {
            if (TryOpen(layout.LockFile, mode) is { } stream)
            {
                if (mode == LockMode.Exclusive)
                {
                    AtomicFile.WriteAllText(layout.LockHolderFile, Holder(command));
                }

                return new DatasetLock(stream, mode == LockMode.Exclusive ? layout.LockHolderFile : null);
            }

            if (clock.Elapsed >= limit)
            {
                throw new PipelineException(
                    $"Another ldp command is writing to {layout.Root} ({HolderOf(layout)}) and it was still writing after {limit.TotalSeconds:0} s. " +
                    "Run this command again when it has finished (one writer per dataset folder).");
            }

            if (!told)
            {
                waiting?.Invoke($"Another ldp command is writing to {layout.Root} ({HolderOf(layout)}); waiting up to {limit.TotalSeconds:0} s for it to finish.");
                told = true;
            }

            Thread.Sleep(Poll);
        }
    }

    /// <summary>
    /// Takes <see cref="DatasetLayout.PublishLockFile"/> alone, waiting up to <paramref name="timeout"/>: publish jobs
    /// on every worker sharing the folder link and publish one after another. An OS lock, so it never expires while
    /// its holder lives (a Hangfire lock does, after its timeout) and is released when its holder dies.
    /// </summary>
    public static DatasetLock AcquirePublishing(DatasetLayout layout, TimeSpan timeout)
    {
        Directory.CreateDirectory(layout.Root);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (TryOpen(layout.PublishLockFile, LockMode.Exclusive) is { } stream)
            {
                return new DatasetLock(stream, holderFile: null);
            }

            if (clock.Elapsed >= timeout)
            {
                throw new PipelineException($"Another publish of {layout.Root} was still running after {timeout.TotalSeconds:0} s; this one will be retried.");
            }

            Thread.Sleep(Poll);
        }
    }

    /// <summary>Releases the lock (the operating system does too if the process dies first).</summary>
    public void Dispose()
    {
        if (holderFile is not null)
        {
            try
            {
                File.Delete(holderFile);
            }
            catch (IOException)
            {
                // Only a courtesy note for waiting writers; the lock itself is the open file.
            }
        }

        stream.Dispose();
    }

    private static FileStream? TryOpen(string path, LockMode mode)
    {
        try
        {
            if (!File.Exists(path))
            {
                using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
                {
                }
            }

            // On Linux and macOS .NET takes flock(): FileShare.None an exclusive lock, a read-only open
            // that shares a shared one (a shared lock needs read-only access). On Windows the share mode itself excludes.
            return mode == LockMode.Exclusive
                ? new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Holder(string command) =>
        $"{command}, process {Environment.ProcessId}, since {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";

    private static string HolderOf(DatasetLayout layout)
    {
        try
        {
            return File.Exists(layout.LockHolderFile) ? File.ReadAllText(layout.LockHolderFile).Trim() : "ldp serve jobs, or a command that has just started";
        }
        catch (IOException)
        {
            return "holder unknown";
        }
    }
}

/// <summary>How a writer holds the dataset lock.</summary>
public enum LockMode
{
    /// <summary>Alone: commands that write.</summary>
    Exclusive,

    /// <summary>Beside other shared holders, never beside an exclusive one: the jobs of <c>ldp serve</c>.</summary>
    Shared,
}
