using Hangfire;
using Hangfire.Storage;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
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
        var extracts = new List<LandedExtract>();
        var refused = new List<RefusedFile>();
        var problems = new List<string>();
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var folder = layout.LandingFeed(feed);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder).Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                var relative = feed + "/" + name;
                if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    Refuse(LandingScanner.NotCsv(feed, path));
                    continue;
                }

                try
                {
                    var (provider, period) = LandingScanner.ParseName(feed, Path.GetFileName(path));
                    var info = new FileInfo(path);
                    var stamp = $"{info.Length}|{info.LastWriteTimeUtc.Ticks}|";
                    string id;
                    if (cache.TryGetValue(relative, out var cached) && cached.StartsWith(stamp, StringComparison.Ordinal))
                    {
                        id = cached[stamp.Length..];
                    }
                    else
                    {
                        id = LandingScanner.ExtractId(feed, provider, period, LandingScanner.ContentHash(path));
                        updates[relative] = stamp + id;
                    }

                    extracts.Add(new LandedExtract(feed, provider, period, path, id));
                }
                catch (PipelineException e)
                {
                    Refuse(new RefusedFile(feed, path, FileReasons.BadFileName, e.Message));
                }
                catch (IOException e)
                {
                    // Still being copied, or removed while we looked: the next scan sees it whole.
                    problems.Add($"{relative}: could not be read yet ({e.GetType().Name}); the next scan tries again.");
                }
            }
        }

        if (updates.Count > 0)
        {
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetRangeInHash(JobEnvironment.LandingHashes, updates);
            transaction.Commit();
        }

        return new Scan(extracts, refused, problems, updates.Count);

        void Refuse(RefusedFile file)
        {
            refused.Add(file);
            problems.Add(file.Message);
            logger.LogWarning("Refused landing file {File}: {Problem}", file.Feed + "/" + file.FileName, file.Message);
        }
    }
}
