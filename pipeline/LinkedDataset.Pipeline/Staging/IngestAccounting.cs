using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>The accounting check of a run went wrong: rows read ≠ staged + quarantined for some extract. The run stops.</summary>
public sealed class AccountingException(string message) : PipelineException(message);

/// <summary>
/// Checked on every run, for every staged extract (also those staged by an earlier run): rows read =
/// staged + quarantined in its report, and the staged and quarantine Parquet files hold exactly those
/// rows. Reads Parquet footers only.
/// </summary>
public static class IngestAccounting
{
    public static void Check(DatasetLayout layout, IEnumerable<StagingReport> reports)
    {
        var staged = reports.Where(r => r.Status is StagingReport.Staged or StagingReport.AlreadyStaged).ToList();
        if (staged.Count == 0)
        {
            return;
        }

        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "512MB"));
        var problems = new List<string>();
        foreach (var r in staged)
        {
            var inStaged = Count(db, layout.StagedFile(r.Feed, r.ExtractId));
            var inQuarantine = Count(db, layout.QuarantineFile(r.Feed, r.ExtractId));
            if (r.RowsRead != r.RowsStaged + r.RowsQuarantined || inStaged != r.RowsStaged || inQuarantine != r.RowsQuarantined)
            {
                problems.Add($"{r.FileName} ({r.ExtractId}): read {r.RowsRead}, staged {r.RowsStaged} (file holds {inStaged?.ToString() ?? "no file"}), quarantined {r.RowsQuarantined} (file holds {inQuarantine?.ToString() ?? "no file"})");
            }
        }

        if (problems.Count > 0)
        {
            throw new AccountingException(
                $"Accounting failed for {problems.Count} extract(s): rows read must equal rows staged + quarantined. {string.Join("; ", problems)}. " +
                "Delete their staging/ and quarantine/ files to stage them again, and report this as a bug.");
        }
    }

    private static long? Count(DuckDB.NET.Data.DuckDBConnection db, string path) =>
        File.Exists(path) ? DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(path)})") : null;
}
