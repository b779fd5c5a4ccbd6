using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Governance;

/// <summary>What an audit entry records.</summary>
public static class AuditWhat
{
    public const string Run = "run";
    public const string ExtractStaged = "extract staged";
    public const string SnapshotPublished = "snapshot published";
    public const string Release = "release";
    public const string Rekey = "rekey";
}

/// <summary>
/// One line of the audit log: when, which command, what happened, and the ids involved. Ids only:
/// extract ids (content hashes), snapshot and release ids, project names and key ids (fingerprints).
/// Never row data, identifiers, tokens, person ids or key material.
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset WhenUtc,
    string Command,
    string What,
    string? KeyId = null,
    IReadOnlyList<string>? ExtractIds = null,
    string? SnapshotId = null,
    string? Project = null,
    string? ReleaseId = null,
    string? NewKeyId = null);

/// <summary>
/// The append-only audit log at <c>data/audit/audit.jsonl</c>: one JSON object per line. Each
/// entry is appended with a single write to a file opened for append, so concurrent writers do not
/// interleave within a line; nothing ever rewrites or truncates the file.
/// </summary>
public sealed class AuditLog(string path, TimeProvider? clock = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public string Path { get; } = path;

    /// <summary>The audit log of a dataset folder.</summary>
    public static AuditLog For(DatasetLayout layout, TimeProvider? clock = null) => new(layout.AuditLog, clock);

    /// <summary>Appends an entry stamped now (UTC) and returns it.</summary>
    public AuditEntry Append(string command, string what, string? keyId = null, IReadOnlyList<string>? extractIds = null,
        string? snapshotId = null, string? project = null, string? releaseId = null, string? newKeyId = null)
    {
        var entry = new AuditEntry(clock.GetUtcNow(), command, what, keyId, extractIds, snapshotId, project, releaseId, newKeyId);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(line);
        stream.Flush(flushToDisk: true);
        return entry;
    }

    /// <summary>Every entry, oldest first (for tests and for a reviewer's tooling).</summary>
    public IReadOnlyList<AuditEntry> ReadAll() =>
        File.Exists(Path)
            ? File.ReadLines(Path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<AuditEntry>(l, Json)!).ToList()
            : [];
}
