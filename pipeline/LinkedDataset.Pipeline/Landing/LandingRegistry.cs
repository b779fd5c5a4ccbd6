using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Landing;

/// <summary>
/// One file ever seen in landing. <see cref="Sequence"/> orders deliveries (first seen first; files
/// first seen in the same scan by modification time, then name); for a provider + feed + period the
/// staged extract with the highest sequence is the one a snapshot uses.
/// </summary>
public sealed record RegistryEntry
{
    public required string ExtractId { get; init; }
    public required string Feed { get; init; }
    public string? Provider { get; init; }
    public string? Period { get; init; }
    public required string FileName { get; init; }
    public required string ContentHash { get; init; }
    public long Bytes { get; init; }
    public DateTimeOffset ReceivedUtc { get; init; }
    public long Sequence { get; init; }

    /// <summary><c>registered</c>, <c>staged</c>, <c>failed</c> (refused at staging) or <c>refused</c> (not an extract: name or type).</summary>
    public required string Status { get; init; }

    /// <summary>Rows read by staging (data rows, header excluded); null until staged.</summary>
    public long? Rows { get; init; }

    /// <summary>File-level reason code when failed (staging's reason codes) or refused (<see cref="LandingReasons"/>).</summary>
    public string? Reason { get; init; }

    public string? Error { get; init; }

    /// <summary>The newer extract for the same provider + feed + period that replaced this one, from the next snapshot.</summary>
    public string? SupersededBy { get; init; }

    public DateTimeOffset? SupersededUtc { get; init; }

    public const string Registered = "registered";
    public const string Staged = "staged";
    public const string Failed = "failed";
    public const string Refused = "refused";
}

/// <summary>What registering a scan found: new extracts, the same bytes again (a no-op), refused files, supersessions.</summary>
public sealed record RegistrationResult(
    IReadOnlyList<LandedExtract> New,
    IReadOnlyList<LandedExtract> AlreadyRegistered,
    IReadOnlyList<RefusedFile> Refused,
    IReadOnlyList<RegistryEntry> NewlyRefused);

/// <summary>
/// The landing registry (<c>registry/landing_registry.json</c>): every file the pipeline has seen,
/// with its extract id, feed, provider, period, received time, size, row count, content hash,
/// status and supersession. Written atomically. Writers change it through <see cref="Update{T}"/>
/// (load, change, save); <c>ldp serve</c> does that under a distributed lock, since several workers share it.
/// </summary>
public sealed class LandingRegistry
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string path;
    private readonly List<RegistryEntry> entries;

    private LandingRegistry(string path, List<RegistryEntry> entries)
    {
        this.path = path;
        this.entries = entries;
    }

    public IReadOnlyList<RegistryEntry> Entries => entries;

    public static LandingRegistry Load(DatasetLayout layout) =>
        new(layout.LandingRegistry, File.Exists(layout.LandingRegistry)
            ? JsonSerializer.Deserialize<List<RegistryEntry>>(File.ReadAllText(layout.LandingRegistry)) ?? []
            : []);

    public void Save() => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(entries, Json));

    /// <summary>
    /// Loads the registry, applies <paramref name="change"/> (e.g. <see cref="Register"/> or
    /// <see cref="RecordStaging"/>) and saves it. Not a lock: callers that may run at once hold one around it.
    /// </summary>
    public static T Update<T>(DatasetLayout layout, Func<LandingRegistry, T> change)
    {
        var registry = Load(layout);
        var result = change(registry);
        registry.Save();
        return result;
    }

    public RegistryEntry? Find(string extractId) => entries.FirstOrDefault(e => e.ExtractId == extractId);

    /// <summary>Records the files of <paramref name="scan"/> not seen before; the same bytes again are reported, not recorded twice.</summary>
    public RegistrationResult Register(LandingScan scan, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var fresh = new List<LandedExtract>();
        var again = new List<LandedExtract>();
        var sequence = entries.Count == 0 ? 0 : entries.Max(e => e.Sequence);
        foreach (var extract in scan.Extracts.OrderBy(e => File.GetLastWriteTimeUtc(e.Path)).ThenBy(e => e.FileName, StringComparer.Ordinal))
        {
            if (Find(extract.ExtractId) is not null)
            {
                again.Add(extract);
                continue;
            }

            fresh.Add(extract);
            entries.Add(new RegistryEntry
            {
                ExtractId = extract.ExtractId, Feed = extract.Feed, Provider = extract.Provider, Period = extract.Period,
                FileName = extract.FileName, ContentHash = LandingScanner.ContentHash(extract.Path), Bytes = new FileInfo(extract.Path).Length,
                ReceivedUtc = now, Sequence = ++sequence, Status = RegistryEntry.Registered,
            });
        }

        var newlyRefused = new List<RegistryEntry>();
        foreach (var file in scan.Refused)
        {
            var (hash, bytes) = LandingScanner.Fingerprint(file.Path);
            var id = "refused-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{file.Feed}|{file.FileName}|{hash}")))[..16];
            if (Find(id) is not null)
            {
                continue;
            }

            var entry = new RegistryEntry
            {
                ExtractId = id, Feed = file.Feed, FileName = file.FileName, ContentHash = hash, Bytes = bytes,
                ReceivedUtc = now, Sequence = ++sequence, Status = RegistryEntry.Refused, Reason = file.Reason, Error = file.Message,
            };
            entries.Add(entry);
            newlyRefused.Add(entry);
        }

        return new RegistrationResult(fresh, again, scan.Refused, newlyRefused);
    }

    /// <summary>
    /// Records what staging did (rows, status, reason) and the supersessions that follow: for each
    /// provider + feed + period, every staged extract but the newest is marked superseded by it.
    /// A newer file that fails staging supersedes nothing (the last good delivery stays in use).
    /// Returns the entries newly superseded.
    /// </summary>
    public IReadOnlyList<RegistryEntry> RecordStaging(IEnumerable<StagingOutcome> outcomes, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        foreach (var outcome in outcomes)
        {
            var i = entries.FindIndex(e => e.ExtractId == outcome.ExtractId);
            if (i < 0)
            {
                continue;
            }

            entries[i] = outcome.Failed
                ? entries[i] with { Status = RegistryEntry.Failed, Reason = outcome.Reason, Error = outcome.Error, Rows = null }
                : entries[i] with { Status = RegistryEntry.Staged, Rows = outcome.RowsRead, Reason = null, Error = null };
        }

        var superseded = new List<RegistryEntry>();
        foreach (var slot in entries.Where(e => e.Status == RegistryEntry.Staged).GroupBy(e => (e.Feed, e.Provider, e.Period)))
        {
            var newest = slot.MaxBy(e => e.Sequence)!;
            foreach (var older in slot.Where(e => e != newest && e.SupersededBy != newest.ExtractId))
            {
                var i = entries.IndexOf(older);
                entries[i] = older with { SupersededBy = newest.ExtractId, SupersededUtc = now };
                superseded.Add(entries[i]);
            }
        }

        return superseded;
    }

    /// <summary>
    /// The extracts a snapshot uses: of the staged <paramref name="reports"/>, the newest delivery per
    /// provider + feed + period (highest registry sequence; extracts the registry does not know rank
    /// oldest, then by file name and extract id).
    /// </summary>
    public IReadOnlyList<T> NewestPerSlot<T>(IEnumerable<T> reports)
        where T : IDelivery =>
        reports.GroupBy(r => (r.Feed, r.Provider, r.Period))
            .Select(slot => slot.OrderByDescending(r => Find(r.ExtractId)?.Sequence ?? 0)
                .ThenByDescending(r => r.FileName, StringComparer.Ordinal).ThenByDescending(r => r.ExtractId, StringComparer.Ordinal).First())
            .ToList();
}
