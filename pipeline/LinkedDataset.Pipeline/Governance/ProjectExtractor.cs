using Dapper;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Governance;

/// <summary>
/// The people a release is for: a cohort built from a cohort definition file (by the analysis library,
/// on a sandboxed connection; definitions hold no SQL) on one snapshot. The extractor takes only the
/// ids and what to record about where they came from.
/// </summary>
/// <param name="Name">The cohort's name.</param>
/// <param name="DefinitionFile">The definition file's name.</param>
/// <param name="DefinitionSha256">SHA-256 of the definition file, recorded with the release.</param>
/// <param name="SnapshotId">The snapshot the cohort was built on; the release is taken from the same one.</param>
/// <param name="PersonIds">The cohort's person ids.</param>
public sealed record ReleaseCohort(string Name, string DefinitionFile, string DefinitionSha256, string SnapshotId, IReadOnlyList<long> PersonIds);

/// <summary>What <c>ldp extract</c> is asked to release.</summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="Key">The pipeline key; project keys are derived from it.</param>
/// <param name="Project">Project name: lower case letters, digits, '-' and '_'.</param>
/// <param name="Cohort">The cohort's people (<see cref="ReleaseCohort"/>).</param>
/// <param name="Columns"><c>table.column</c> or <c>table.*</c> of the snapshot; <c>person_id</c> is always replaced by <c>project_person_id</c>.</param>
/// <param name="SnapshotId">The snapshot to release from; default the current one.</param>
/// <param name="Limits">DuckDB limits.</param>
public sealed record ProjectExtractOptions(
    DatasetLayout Layout, PseudonymKey Key, string Project, ReleaseCohort Cohort, IReadOnlyList<string> Columns,
    string? SnapshotId = null, DuckDbLimits? Limits = null);

/// <summary>A written release: where, from which snapshot, how many people and rows.</summary>
public sealed record ProjectExtractResult(
    string Project, string ReleaseId, string SnapshotId, string Folder, long People, IReadOnlyDictionary<string, long> TableRows);

/// <summary>
/// Record-level project extracts (SAIL-style): the cohort's rows of the requested tables and columns
/// from a snapshot, with <c>person_id</c> replaced by a project-specific pseudonym so that two
/// projects cannot join their extracts, while within one extract the same person has the same id in
/// every table. The project pseudonym is HMAC-SHA256(project key, person_id) (first 16 bytes, hex),
/// where the project key is HMAC-SHA256(pipeline key, "LinkedDataset project key v1\n" + project).
/// Written to <c>extracts/&lt;project&gt;/&lt;release id&gt;/&lt;table&gt;.parquet</c> with a
/// <c>release.json</c>, and recorded in the audit log.
/// </summary>
public static partial class ProjectExtractor
{
    public const string ProjectPersonId = "project_person_id";

    public static ProjectExtractResult Extract(ProjectExtractOptions options, string command = "ldp extract")
    {
        if (!ProjectName().IsMatch(options.Project))
        {
            throw new PipelineException($"Project name '{options.Project}' is not allowed: use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
        }

        var columns = ParseColumns(options.Columns);
        var cohort = options.Cohort;
        if (options.SnapshotId is { } asked && asked != cohort.SnapshotId)
        {
            throw new PipelineException($"The cohort was built on snapshot {cohort.SnapshotId} but the release asks for {asked}; build it on the same snapshot.");
        }

        var snapshotId = cohort.SnapshotId;
        var personIds = cohort.PersonIds;
        using var db = DuckDb.OpenInMemory(options.Limits);
        SnapshotReader.CreateViews(db, options.Layout, snapshotId);
        CheckColumns(db, columns);
        DuckDb.Execute(db, $"CREATE TEMP TABLE cohort_map (person_id BIGINT, {ProjectPersonId} VARCHAR)");
        using (var project = ProjectPseudonymiser(options.Key, options.Project))
        using (var appender = db.CreateAppender("cohort_map"))
        {
            Span<byte> hash = stackalloc byte[32];
            foreach (var id in personIds)
            {
                project.TryComputeHash(Encoding.ASCII.GetBytes(id.ToString(System.Globalization.CultureInfo.InvariantCulture)), hash, out _);
                appender.CreateRow().AppendValue(id).AppendValue(Convert.ToHexStringLower(hash[..16])).EndRow();
            }
        }

        var releaseId = ReleaseId(snapshotId, options.Project, cohort.DefinitionSha256, columns);
        var folder = Path.Combine(options.Layout.ProjectExtracts(options.Project), releaseId);
        var temporary = folder + ".tmp";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        var rows = new Dictionary<string, long>();
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(temporary);
            foreach (var (table, tableColumns) in columns)
            {
                var select = string.Join(", ", tableColumns.Select(c => "t." + Sql.Identifier(c)));
                DuckDb.Execute(db, $"""
                    COPY (SELECT m.{ProjectPersonId}{(select.Length > 0 ? ", " + select : "")}
                          FROM {Sql.Identifier(table)} t JOIN cohort_map m USING (person_id) ORDER BY m.{ProjectPersonId})
                    TO {Sql.Path(Path.Combine(temporary, table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)
                    """);
            }

            File.WriteAllText(Path.Combine(temporary, "release.json"), JsonSerializer.Serialize(new
            {
                project = options.Project,
                release_id = releaseId,
                snapshot_id = snapshotId,
                cohort = cohort.Name,
                cohort_file = cohort.DefinitionFile,
                cohort_file_sha256 = cohort.DefinitionSha256,
                columns = columns.ToDictionary(c => c.Key, c => c.Value),
                person_id = $"{ProjectPersonId}: pseudonym specific to project '{options.Project}'; it does not join to any other project's extract",
            }, new JsonSerializerOptions { WriteIndented = true }));
            Directory.Move(temporary, folder);
        }

        foreach (var table in columns.Keys)
        {
            rows[table] = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(folder, table + ".parquet"))})");
        }

        AuditLog.For(options.Layout).Append(command, AuditWhat.Release, options.Key.KeyId, snapshotId: snapshotId, project: options.Project, releaseId: releaseId);
        return new ProjectExtractResult(options.Project, releaseId, snapshotId, folder, personIds.Count, rows);
    }

    /// <summary>An HMAC under the key derived for <paramref name="project"/>; dispose it after use.</summary>
    private static HMACSHA256 ProjectPseudonymiser(PseudonymKey key, string project)
    {
        var projectKey = HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes("LinkedDataset project key v1\n" + project));
        try
        {
            return new HMACSHA256(projectKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(projectKey);
        }
    }

    private static SortedDictionary<string, List<string>> ParseColumns(IReadOnlyList<string> requested)
    {
        var tables = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var item in requested.SelectMany(r => r.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var dot = item.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == item.Length - 1)
            {
                throw new PipelineException($"Column '{item}' is not written table.column (or table.*), e.g. person.birth_month or apc.admission_date.");
            }

            var (table, column) = (item[..dot], item[(dot + 1)..]);
            if (!tables.TryGetValue(table, out var list))
            {
                tables[table] = list = [];
            }

            if (column != "person_id" && !list.Contains(column))
            {
                list.Add(column);
            }
        }

        if (tables.Count == 0)
        {
            throw new PipelineException("No columns requested: pass --columns table.column ..., e.g. person.birth_month person.sex apc.admission_date.");
        }

        return tables;
    }

    private static void CheckColumns(DuckDB.NET.Data.DuckDBConnection db, SortedDictionary<string, List<string>> tables)
    {
        foreach (var (table, columns) in tables)
        {
            List<string> available;
            try
            {
                available = db.Query<string>($"SELECT column_name FROM (DESCRIBE {Sql.Identifier(table)})").AsList();
            }
            catch (Exception e) when (e is DuckDB.NET.Data.DuckDBException or ArgumentException)
            {
                throw new PipelineException($"The snapshot has no table '{table}'.");
            }

            if (!available.Contains("person_id"))
            {
                throw new PipelineException($"Table '{table}' has no person_id, so it cannot be extracted per person.");
            }

            if (columns.Remove("*"))
            {
                columns.AddRange(available.Where(c => c != "person_id" && !columns.Contains(c)));
            }

            var unknown = columns.Where(c => !available.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                throw new PipelineException($"Table '{table}' has no column(s) {string.Join(", ", unknown)}. It has: {string.Join(", ", available)}.");
            }
        }
    }

    private static string ReleaseId(string snapshotId, string project, string cohortText, SortedDictionary<string, List<string>> columns)
    {
        var inputs = new StringBuilder().AppendLine(snapshotId).AppendLine(project).AppendLine(cohortText);
        foreach (var (table, list) in columns)
        {
            inputs.AppendLine(table + ":" + string.Join(",", list));
        }

        return "rel-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..12];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ProjectName();
}
