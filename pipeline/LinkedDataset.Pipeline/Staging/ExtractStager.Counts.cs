using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>Counts staging reports beside rows read/staged/quarantined: NHS number checks and duplicates within the file.</summary>
public sealed partial class ExtractStager
{
    /// <summary>Today by the injected clock (UTC), the limit for <c>date_in_future</c>.</summary>
    private static DateOnly Today(StagingOptions options) => DateOnly.FromDateTime((options.Clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);

    /// <summary>
    /// Adds to the report, over the staged rows: rows with a person token, NHS numbers missing and invalid (not rejections:
    /// those rows go to probabilistic linkage), exact duplicate rows, and records re-sent within the
    /// file (same provider_code and record id, other content). All set-based in DuckDB.
    /// </summary>
    private static StagingReport WithRowCounts(DuckDBConnection db, FeedSchema schema, IReadOnlyList<string> header, FeedForm form, StagingReport report)
    {
        // One pass over the tokened rows for the three person-token counts (each query re-runs the view's joins).
        var nhsNumber = form == FeedForm.Identifiable && header.Contains("nhs_number");
        var (withToken, missing, invalid) = db.QuerySingle<(long, long, long)>($"""
            SELECT count(*) FILTER (WHERE person_token IS NOT NULL),
                   count(*) FILTER (WHERE {(nhsNumber ? "nhs_number IS NULL" : "person_token IS NULL")}),
                   count(*) FILTER (WHERE {(nhsNumber ? "nhs_number IS NOT NULL AND person_token IS NULL" : "false")})
            FROM tokened WHERE failure IS NULL
            """);

        var columns = string.Join(", ", header.Select(Sql.Identifier));
        var distinctRows = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM (SELECT DISTINCT {columns} FROM checked WHERE failure IS NULL)");
        var distinctRecords = header.Contains("provider_code") && header.Contains(schema.RecordId)
            ? DuckDb.Scalar<long>(db, $"SELECT count(*) FROM (SELECT DISTINCT provider_code, {Sql.Identifier(schema.RecordId)} FROM checked WHERE failure IS NULL)")
            : distinctRows;
        return report with
        {
            RowsWithPersonToken = withToken,
            NhsNumbersMissing = missing,
            NhsNumbersInvalid = invalid,
            ExactDuplicateRows = report.RowsStaged - distinctRows,
            ResentRecordsInFile = distinctRows - distinctRecords,
        };
    }
}
