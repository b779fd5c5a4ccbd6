namespace LinkedDataset.Pipeline.Storage;

/// <summary>Writes that become visible whole or not at all: write to a temporary path, then rename.</summary>
public static class AtomicFile
{
    /// <summary>A temporary path in the same folder as <paramref name="path"/> (so the rename is atomic).</summary>
    public static string TemporaryPathFor(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, "." + System.IO.Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);

    public static void WriteAllText(string path, string contents)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temporary = TemporaryPathFor(path);
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }

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
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
