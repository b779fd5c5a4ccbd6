namespace LinkedDataset.Tests.Support;

/// <summary>Copies a folder tree for fixtures (a dataset to run again, landing files to send in parts).</summary>
public static class FolderCopy
{
    /// <summary>
    /// Copies every folder (also empty ones: a dataset's layout has them) and every file whose name
    /// <paramref name="include"/> accepts (all when null) from <paramref name="from"/> into <paramref name="to"/>, overwriting.
    /// </summary>
    public static void Copy(string from, string to, Func<string, bool>? include = null)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from).Where(f => include?.Invoke(Path.GetFileName(f)) ?? true))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)), include);
        }
    }
}
