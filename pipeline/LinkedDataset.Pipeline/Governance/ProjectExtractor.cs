using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Governance;

/// <summary>
/// A minimal cohort file (full cohort definitions are a later issue): YAML with a <c>where:</c> SQL
/// condition on the snapshot's <c>person</c> table, e.g. <c>where: "district = 'Swale' AND birth_month &lt;= '1950-03'"</c>,
/// and an optional <c>description:</c>. The condition runs on a <see cref="SandboxedSnapshot"/>, so it
/// can read nothing but the snapshot; statements (<c>COPY</c>, <c>ATTACH</c>, <c>INSTALL</c>, <c>SET</c>, ...)
/// are refused up front with a clear message rather than a DuckDB syntax error.
/// </summary>
public sealed partial record CohortFile(string Where, string? Description)
{
    public static CohortFile Load(string path)
    {
        var shape = Yaml.Load<Shape>(path);
        if (string.IsNullOrWhiteSpace(shape.Where) || shape.Where.Contains(';', StringComparison.Ordinal))
        {
            throw new PipelineException($"{Path.GetFileName(path)}: needs 'where:', one SQL condition on the person table (no ';'), e.g. where: \"district = 'Swale'\".");
        }

        // Quoted text ('Swale', "column") is data, not a keyword.
        var unquoted = QuotedText().Replace(shape.Where, " ");
        if (StatementKeyword().Match(unquoted) is { Success: true } keyword)
        {
            throw new PipelineException(
                $"{Path.GetFileName(path)}: 'where' uses {keyword.Value.ToUpperInvariant()}, which is not allowed: a cohort condition can only test columns of the person table (no statements, no file or network access, no settings).");
        }

        return new CohortFile(shape.Where.Trim(), shape.Description);
    }

    [GeneratedRegex(@"'(?:[^']|'')*'|""(?:[^""]|"""")*""")]
    private static partial Regex QuotedText();

    [GeneratedRegex(@"\b(COPY|ATTACH|DETACH|INSTALL|LOAD|SET|RESET|PRAGMA|EXPORT|IMPORT|CALL|CREATE|DROP|INSERT|UPDATE|DELETE|ALTER|USE|CHECKPOINT|VACUUM)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StatementKeyword();

    private sealed record Shape(string? Where, string? Description = null);
}

/// <summary>What <c>ldp extract</c> is asked to release.</summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="Key">The pipeline key; project keys are derived from it.</param>
/// <param name="Project">Project name: lower case letters, digits, '-' and '_'.</param>
/// <param name="CohortPath">The cohort file (<see cref="CohortFile"/>).</param>
/// <param name="Columns"><c>table.column</c> or <c>table.*</c> of the snapshot; <c>person_id</c> is always replaced by <c>project_person_id</c>.</param>
/// <param name="SnapshotId">The snapshot to release from; default the current one.</param>
/// <param name="Limits">DuckDB limits.</param>
public sealed record ProjectExtractOptions(
    DatasetLayout Layout, PseudonymKey Key, string Project, string CohortPath, IReadOnlyList<string> Columns,
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
        var cohort = CohortFile.Load(options.CohortPath);

        // The user's condition runs only on a sandboxed connection (no file, network or settings
        // access); the pipeline's own writing below runs on a second connection that never sees it.
        var (sandbox, snapshotId) = SandboxedSnapshot.Open(options.Layout, options.SnapshotId, options.Limits);
        List<long> personIds;
        using (sandbox)
        {
            CheckColumns(sandbox, columns);
            personIds = CohortPersonIds(sandbox, cohort, options.CohortPath);
        }

        using var db = DuckDb.OpenInMemory(options.Limits);
        SnapshotReader.CreateViews(db, options.Layout, snapshotId);
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

        var releaseId = ReleaseId(snapshotId, options.Project, File.ReadAllText(options.CohortPath), columns);
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
                cohort_file = Path.GetFileName(options.CohortPath),
                cohort_where = cohort.Where,
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

    /// <summary>
    /// The person ids the cohort's condition selects, run on <paramref name="sandbox"/>. A condition
    /// that tries to reach outside the snapshot fails with a message saying so, not DuckDB's.
    /// </summary>
    private static List<long> CohortPersonIds(DuckDB.NET.Data.DuckDBConnection sandbox, CohortFile cohort, string cohortPath)
    {
        var personIds = new List<long>();
        try
        {
            using var command = sandbox.CreateCommand();
            command.CommandText = $"SELECT person_id FROM person WHERE ({cohort.Where}) ORDER BY person_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                personIds.Add(reader.GetInt64(0));
            }
        }
        catch (DuckDB.NET.Data.DuckDBException e) when (e.Message.Contains("Permission Error", StringComparison.OrdinalIgnoreCase)
                                                          || e.Message.Contains("configuration has been locked", StringComparison.OrdinalIgnoreCase))
        {
            throw new PipelineException($"{Path.GetFileName(cohortPath)}: the 'where' condition tried to read a file, reach the network or change a setting, which a cohort file may not do: it can only test the columns of the snapshot's tables.");
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new PipelineException($"{Path.GetFileName(cohortPath)}: the 'where' condition could not be run on the person table: {e.Message.Split('\n')[0]}");
        }

        return personIds;
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
        foreach (var item in requested.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
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
            var available = new List<string>();
            try
            {
                using var command = db.CreateCommand();
                command.CommandText = $"SELECT column_name FROM (DESCRIBE {Sql.Identifier(table)})";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    available.Add(reader.GetString(0));
                }
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
