using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>
/// Versioned codelists under <c>schemas/reference/codelists/</c>: a folder (every list in it) or one
/// list (<c>ltc/dementia</c>). Files are <c>code&lt;TAB&gt;…</c> with no header: <c>*.snomed.tsv</c> (SNOMED CT,
/// matched to GP events) or <c>*.icd10.tsv</c> (ICD-10 prefixes, matched to any admitted care diagnosis).
/// The version is the folder's <c>VERSION</c> text plus a hash of the files read.
/// </summary>
public static class Codelists
{
    /// <summary>Finds the codelist a definition names; an unknown name is an error listing the folders.</summary>
    public static CodelistRef Resolve(YamlField node)
    {
        var name = node.Text();
        var root = Path.Combine(ProjectPaths.Reference, "codelists");
        var parts = name.Split('/');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw node.Error($"'{name}' is not a codelist name; write a folder (e.g. falls) or folder/list (e.g. ltc/dementia).");
        }

        var folder = Path.Combine(root, parts[0]);
        if (!Directory.Exists(folder))
        {
            var known = Directory.Exists(root) ? Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
            throw node.Error($"no codelist folder '{parts[0]}' in {root}; there are: {string.Join(", ", known)}.");
        }

        var pattern = parts.Length == 2 ? parts[1] + ".*.tsv" : "*.tsv";
        var files = Directory.GetFiles(folder, pattern).Where(f => f.EndsWith(".snomed.tsv", StringComparison.Ordinal) || f.EndsWith(".icd10.tsv", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw node.Error($"codelist '{name}' has no *.snomed.tsv or *.icd10.tsv file in {folder}.");
        }

        var systems = files.Select(f => f.EndsWith(".snomed.tsv", StringComparison.Ordinal) ? "snomed" : "icd10").Distinct().ToList();
        if (systems.Count > 1)
        {
            throw node.Error($"codelist '{name}' mixes SNOMED CT and ICD-10 files; name one list (folder/list).");
        }

        var version = MartReference.Version(folder, files.Select(Path.GetFileName).ToArray()!);
        return new CodelistRef(name, systems[0], files, version);
    }

    /// <summary>The DuckDB table a codelist is loaded into.</summary>
    public static string Table(CodelistRef codelist) => "cl_" + new string(codelist.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>Loads codes into <see cref="Table"/> (<c>code VARCHAR</c>) with an appender, so it works on a locked-down connection.</summary>
    public static void LoadInto(DuckDBConnection db, CodelistRef codelist)
    {
        var table = Table(codelist);
        DuckDb.Execute(db, $"CREATE OR REPLACE TABLE {table} (code VARCHAR)");
        using var appender = db.CreateAppender(table);
        foreach (var code in codelist.Files.SelectMany(File.ReadLines).Select(l => l.Split('\t')[0].Trim().ToUpperInvariant())
                     .Where(c => c.Length > 0).Distinct(StringComparer.Ordinal))
        {
            appender.CreateRow().AppendValue(code).EndRow();
        }
    }
}
