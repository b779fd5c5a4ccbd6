using Hangfire;
using Hangfire.Storage;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// The extracts in landing, like <see cref="LandingScanner.Scan"/>, but hashing only files that are
/// new or changed since the last scan (length and last write time are remembered in the Hangfire
/// storage, so every worker shares the cache). A file that is not an extract (badly named, not .csv)
/// is refused as <see cref="LandingScanner.ScanAll"/> refuses it, so it does not stop the others from staging.
/// </summary>
public static class LandingIndex
{
    public sealed record Scan(IReadOnlyList<LandedExtract> Extracts, IReadOnlyList<RefusedFile> Refused, IReadOnlyList<string> Problems, int Hashed)
    {
        /// <summary>As <see cref="LandingScanner.ScanAll"/> returns it, for the landing registry.</summary>
        public LandingScan Landing => new(Extracts, Refused);
    }

    public static Scan Read(DatasetLayout layout, JobStorage storage, ILogger logger)
    {
        using var connection = storage.GetConnection();
        var cache = connection.GetAllEntriesFromHash(JobEnvironment.LandingHashes) ?? new Dictionary<string, string>();
        var updates = new Dictionary<string, string>();
        var problems = new List<string>();
        var scan = LandingScanner.ScanAll(layout, (feed, path) =>
        {
            var relative = feed + "/" + Path.GetFileName(path);
            try
            {
                var (provider, period) = LandingScanner.ParseName(feed, Path.GetFileName(path));
                var info = new FileInfo(path);
                var stamp = $"{info.Length}|{info.LastWriteTimeUtc.Ticks}|";
                if (!cache.TryGetValue(relative, out var cached) || !cached.StartsWith(stamp, StringComparison.Ordinal))
                {
                    cached = stamp + LandingScanner.ExtractId(feed, provider, period, LandingScanner.ContentHash(path));
                    updates[relative] = cached;
                }

                return new LandedExtract(feed, provider, period, path, cached[stamp.Length..]);
            }
            catch (IOException e)
            {
                // Still being copied, or removed while we looked: the next scan sees it whole.
                problems.Add($"{relative}: could not be read yet ({e.GetType().Name}); the next scan tries again.");
                return null;
            }
        });
        foreach (var file in scan.Refused)
        {
            problems.Add(file.Message);
            logger.LogWarning("Refused landing file {File}: {Problem}", file.Feed + "/" + file.FileName, file.Message);
        }

        if (updates.Count > 0)
        {
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetRangeInHash(JobEnvironment.LandingHashes, updates);
            transaction.Commit();
        }

        return new Scan(scan.Extracts, scan.Refused, problems, updates.Count);
    }
}
