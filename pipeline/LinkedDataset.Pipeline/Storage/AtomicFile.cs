namespace LinkedDataset.Pipeline.Storage;

/// <summary>Writes that become visible whole or not at all: write to a temporary path, then rename.</summary>
public static class AtomicFile
{
    /// <summary>A temporary path in the same folder as <paramref name="path"/> (so the rename is atomic).</summary>
    public static string TemporaryPathFor(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, "." + System.IO.Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);

    public static void WriteAllText(string path, string contents) => Write(path, temporary => File.WriteAllText(temporary, contents));

    /// <summary>Runs <paramref name="write"/> against a temporary path, then renames it into place.</summary>
    public static void Write(string path, Action<string> write)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temporary = TemporaryPathFor(path);
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>
    /// Removes temporary files (<see cref="TemporaryPathFor"/>) under <paramref name="root"/> last written
    /// more than <paramref name="olderThan"/> ago: what a killed process or a full disk left behind.
    /// </summary>
    /// <returns>How many were removed.</returns>
    public static int RemoveStale(string root, TimeSpan olderThan)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var cutoff = DateTime.UtcNow - olderThan;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(root, ".*.tmp-*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more than a temporary file we could not remove; the next run removes it.
            return false;
        }
    }
}
