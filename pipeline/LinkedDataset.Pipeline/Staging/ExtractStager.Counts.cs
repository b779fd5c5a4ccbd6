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
    /// Adds to the report, over the staged rows: rows with a person token (<paramref name="withToken"/> when the tokens
    /// were made here; counted here when they came with the file), NHS numbers missing and invalid (not rejections:
    /// those rows go to probabilistic linkage), exact duplicate rows, and records re-sent within the file (same
    /// provider_code and record id, other content). One query over <c>checked</c>; the token joins are not re-run.
    /// </summary>
    private static StagingReport WithRowCounts(DuckDBConnection db, FeedSchema schema, IReadOnlyList<string> header, FeedForm form, long? withToken, StagingReport report)
    {
        // A person token comes only from an NHS number (identifiable form), so with an NHS number column:
        // invalid = staged - missing - with a token. Without one, every row without a token is "missing".
        var nhsNumber = form == FeedForm.Identifiable && header.Contains("nhs_number");
        var columns = string.Join(", ", header.Select(Sql.Identifier));
        var records = header.Contains("provider_code") && header.Contains(schema.RecordId)
            ? $"(SELECT count(*) FROM (SELECT DISTINCT provider_code, {Sql.Identifier(schema.RecordId)} FROM checked WHERE failure IS NULL))"
            : "NULL";
        var tokens = withToken is null && header.Contains(PseudonymisedForm.PersonToken) ? "count(person_token) FILTER (WHERE failure IS NULL)" : "0";
        var (tokenRows, missingNhs, distinctRows, distinctRecords) = db.QuerySingle<(long, long, long, long?)>($"""
            SELECT {tokens},
                   {(nhsNumber ? "count(*) FILTER (WHERE failure IS NULL AND nhs_number IS NULL)" : "0")},
                   (SELECT count(*) FROM (SELECT DISTINCT {columns} FROM checked WHERE failure IS NULL)),
                   {records}
            FROM checked
            """);
        var withPersonToken = withToken ?? tokenRows;
        return report with
        {
            RowsWithPersonToken = withPersonToken,
            NhsNumbersMissing = nhsNumber ? missingNhs : report.RowsStaged - withPersonToken,
            NhsNumbersInvalid = nhsNumber ? report.RowsStaged - missingNhs - withPersonToken : 0,
            ExactDuplicateRows = report.RowsStaged - distinctRows,
            ResentRecordsInFile = distinctRows - (distinctRecords ?? distinctRows),
        };
    }
}
