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

        var problems = new List<string>();
        foreach (var r in staged)
        {
            var inStaged = Count(layout.StagedFile(r.Feed, r.ExtractId));
            var inQuarantine = Count(layout.QuarantineFile(r.Feed, r.ExtractId));
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

    private static long? Count(string path) => File.Exists(path) ? ParquetFooter.Rows(path) : null;
}
