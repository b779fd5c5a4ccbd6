using System.Globalization;

namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>
/// The process's peak resident memory (Linux <c>VmHWM</c>: .NET and DuckDB's native memory alike),
/// and a reset of that peak so one step can be measured after another.
/// </summary>
internal static class ProcessPeakMemory
{
    /// <summary>Starts a new peak (writing 5 to <c>/proc/self/clear_refs</c>); false where the OS does not allow it.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Peak resident bytes since the process started or the last <see cref="Reset"/>; null off Linux.</summary>
    public static long? Peak()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
