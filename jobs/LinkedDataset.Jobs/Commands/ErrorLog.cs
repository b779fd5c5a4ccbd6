using System.Globalization;

namespace LinkedDataset.Jobs.Commands;

/// <summary>Where a failed command's full exception goes: the dataset's <c>logs/</c> if it can be written, else the temp folder.</summary>
public static class ErrorLog
{
    /// <summary>Writes <paramref name="e"/> in full and returns the log's path, or null when no log could be written.</summary>
    public static string? Write(string? dataFolder, Exception e)
    {
        var name = $"error-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Environment.ProcessId}.log";
        var text = $"{DateTime.UtcNow:O} ldp {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}{Environment.NewLine}{e}{Environment.NewLine}";
        foreach (var folder in Candidates(dataFolder))
        {
            try
            {
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, name);
                File.AppendAllText(path, text);
                return path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Try the next place: a read-only or full dataset folder is often why we are here.
            }
        }

        return null;
    }

    private static IEnumerable<string> Candidates(string? dataFolder)
    {
        if (dataFolder is not null && Directory.Exists(dataFolder))
        {
            yield return Path.Combine(Path.GetFullPath(dataFolder), "logs");
        }

        yield return Path.Combine(Path.GetTempPath(), "ldp-logs");
    }
}
