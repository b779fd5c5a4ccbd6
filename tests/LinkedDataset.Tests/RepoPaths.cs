namespace LinkedDataset.Tests;

/// <summary>Finds files of the repository (not the copies beside the test binaries).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LinkedDataset.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No LinkedDataset.sln above {AppContext.BaseDirectory}.");
    }
}
