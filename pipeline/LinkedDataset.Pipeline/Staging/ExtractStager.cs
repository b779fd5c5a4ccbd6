using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>What staging needs besides the extract itself; <paramref name="Forms"/> defaults to <see cref="FeedForms.Configured"/>;
/// <paramref name="Clock"/> (default the system clock) decides which dates are in the future.</summary>
public sealed record StagingOptions(DatasetLayout Layout, PseudonymKey Key, DuckDbLimits? Limits = null, FeedForms? Forms = null, TimeProvider? Clock = null);

/// <summary>
/// Stages one landed extract: reads it with DuckDB, checks every row against the feed schema,
/// casts to types, pseudonymises the identity columns, and writes the staged rows and the
/// quarantined rows (with reasons) as Parquet. Every input row ends in exactly one of the two.
/// Idempotent: an extract already staged is not staged again.
/// </summary>
public sealed partial class ExtractStager(IReadOnlyDictionary<string, FeedSchema> schemas, ILogger? logger = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    /// <summary>Stages <paramref name="extract"/> in a DuckDB of its own; a file-level failure is reported, not thrown.</summary>
    public StagingReport Stage(LandedExtract extract, StagingOptions options, CancellationToken cancellationToken = default)
    {
        using var session = new StagingSession(options.Limits);
        return Stage(extract, options, session, cancellationToken);
    }

    /// <summary>
    /// Stages <paramref name="extract"/> in a worker's <paramref name="session"/> (its DuckDB and postcode lookup
    /// reused from earlier extracts, its tables not); a file-level failure is reported, not thrown.
    /// </summary>
    public StagingReport Stage(LandedExtract extract, StagingOptions options, StagingSession session, CancellationToken cancellationToken = default)
    {
        var reportPath = options.Layout.StagingReport(extract.Feed, extract.ExtractId);
        if (TryReadReport(reportPath) is { Status: StagingReport.Staged } done && done.KeyId == options.Key.KeyId)
        {
            return done with { Status = StagingReport.AlreadyStaged, Seconds = 0 };
        }

        var schema = schemas[extract.Feed];
        var clock = Stopwatch.StartNew();
        StagingReport report;
        try
        {
            report = StageFile(extract, schema, options, session, cancellationToken) with { Seconds = clock.Elapsed.TotalSeconds };
        }
        catch (PipelineException failure)
        {
            session.End();
            report = new StagingReport(
                extract.ExtractId, extract.Feed, extract.Provider, extract.Period, extract.FileName, StagingReport.Failed,
                0, 0, 0, new Dictionary<string, long>(), 0, schema.Version, options.Key.KeyId, failure.Message, [], clock.Elapsed.TotalSeconds)
            {
                FailureCode = (failure as ExtractRefusedException)?.Code ?? FileReasons.Refused,
            };
            logger.LogWarning("Extract {ExtractId} ({File}) failed staging: {Reason}", extract.ExtractId, extract.FileName, failure.Message);
        }

        AtomicFile.WriteAllText(reportPath, JsonSerializer.Serialize(report, Json));
        logger.LogInformation(
            "Extract {ExtractId} {Feed}/{Provider}/{Period}: {Status}, read {Read}, staged {Staged}, quarantined {Quarantined}",
            report.ExtractId, report.Feed, report.Provider, report.Period, report.Status, report.RowsRead, report.RowsStaged, report.RowsQuarantined);
        return report;
    }

    /// <summary>The report of an extract staged earlier, if any.</summary>
    public static StagingReport? TryReadReport(string reportPath) =>
        File.Exists(reportPath) ? JsonSerializer.Deserialize<StagingReport>(File.ReadAllText(reportPath)) : null;

    private StagingReport StageFile(LandedExtract extract, FeedSchema schema, StagingOptions options, StagingSession session, CancellationToken cancellationToken)
    {
        var shape = CsvFileCheck.Inspect(extract.Path);
        var db = session.Begin();
        var header = ReadRaw(db, extract, shape.Header);
        var form = CheckForm(db, extract, schema, header, options);
        var warnings = CheckHeader(extract, schema, ContentHeader(header, form)).Concat(shape.Warnings(extract.FileName)).ToList();
        cancellationToken.ThrowIfCancellationRequested();

        var present = header.ToHashSet();
        var identity = schema.IdentityColumns.Where(c => present.Contains(c.Name)).Select(c => c.Name).ToHashSet();
        var identityMissing = CreateChecked(db, schema, header, present, form, Today(options), extract.Provider);
        var (rowsRead, reasons) = ReadAndReasons(db);
        var personTokens = CreateTokenedView(db, options.Key, identity, present, form);
        cancellationToken.ThrowIfCancellationRequested();

        WriteQuarantine(db, extract, options.Layout);
        var staged = WriteStaged(db, session, extract, schema, present, identity, options.Layout, form);
        var quarantined = reasons.Values.Sum();
        if (rowsRead != staged + quarantined)
        {
            throw new InvalidOperationException(
                $"Accounting failed for extract {extract.ExtractId} ({extract.FileName}): read {rowsRead}, staged {staged}, quarantined {quarantined}.");
        }

        var report = WithRowCounts(db, schema, header, form, personTokens, new StagingReport(
            extract.ExtractId, extract.Feed, extract.Provider, extract.Period, extract.FileName, StagingReport.Staged,
            rowsRead, staged, quarantined, reasons, RowsWithPersonToken: 0 /* counted by WithRowCounts */, schema.Version, options.Key.KeyId, null, warnings, 0)
        {
            IdentityValuesMadeMissing = identityMissing,
        });
        session.End();
        return report;
    }

    /// <summary>
    /// Loads the file as text columns into table <c>raw</c>, in the file's row order. When every name of the
    /// header (<paramref name="header"/>, as the byte check read it) is a plain schema-style name, the columns
    /// are given to DuckDB and its sniffer is skipped (most of a small file's read time); otherwise DuckDB
    /// reads the header itself, as it always did.
    /// </summary>
    private static IReadOnlyList<string> ReadRaw(DuckDBConnection db, LandedExtract extract, IReadOnlyList<string> header)
    {
        var plain = header.Count > 0 && header.All(PlainName().IsMatch);
        var columns = plain
            ? ", auto_detect = false, columns = {" + string.Join(", ", header.Select(h => $"{Sql.Literal(h)}: 'VARCHAR'")) + "}"
            : ", all_varchar = true";
        try
        {
            // Text columns: types are checked per row against the schema, never guessed from a sample.
            // Insertion order is preserved, so rowid follows the file's row order.
            DuckDb.Execute(db, $"""
                CREATE TABLE raw AS
                SELECT * FROM read_csv({Sql.Path(extract.Path)}, header = true{columns}, delim = ',', quote = '"', escape = '"', strict_mode = true);
                """);
        }
        catch (DuckDBException e)
        {
            throw new ExtractRefusedException(FileReasons.UnreadableCsv, $"{extract.FileName}: could not be read as CSV{LineOf(e.Message)}. Check the delimiter (comma), quoting and encoding (UTF-8).");
        }

        return plain ? header : db.Query<string>("SELECT column_name FROM (DESCRIBE raw)").AsList();
    }

    /// <summary>A header name DuckDB takes as it is (lower case letters, digits and underscores), as every schema column is named.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainName();

    /// <summary>The line number from a DuckDB CSV error, never the line's contents (they may hold identifiers).</summary>
    private static string LineOf(string message) => LineNumber().Match(message) is { Success: true } m ? $" (near line {m.Groups[1].Value})" : "";

    [GeneratedRegex(@"[Ll]ine:?\s+(\d+)")]
    private static partial Regex LineNumber();

    private static List<string> CheckHeader(LandedExtract extract, FeedSchema schema, IReadOnlyList<string> header)
    {
        var missing = schema.Columns.Where(c => c.Required && !header.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
        {
            throw new ExtractRefusedException(FileReasons.MissingColumns, $"{extract.FileName}: refused: required column(s) missing from the header: {string.Join(", ", missing)}.");
        }

        var known = schema.Columns.Select(c => c.Name).ToHashSet();
        var extra = header.Where(h => !known.Contains(h)).ToList();
        return extra.Count == 0 ? [] : [$"{extract.FileName}: unexpected column(s) ignored: {string.Join(", ", extra)}."];
    }

    private static void WriteQuarantine(DuckDBConnection db, LandedExtract extract, DatasetLayout layout)
    {
        // Only where and why: the row's contents stay in the landing file, which is never copied.
        AtomicFile.Write(layout.QuarantineFile(extract.Feed, extract.ExtractId), temporary => DuckDb.Execute(db, $"""
            COPY (
              SELECT {Sql.Literal(extract.ExtractId)} AS extract_id, {Sql.Literal(extract.Feed)} AS feed,
                     {Sql.Literal(extract.FileName)} AS file_name, source_row,
                     split_part(failure, '|', 1) AS column_name, split_part(failure, '|', 2) AS reason
              FROM checked WHERE failure IS NOT NULL ORDER BY source_row
            ) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)
            """));
    }

    private static long WriteStaged(
        DuckDBConnection db, StagingSession session, LandedExtract extract, FeedSchema schema, IReadOnlySet<string> present, IReadOnlySet<string> identity, DatasetLayout layout, FeedForm form)
    {
        // Content columns cast to their types; identity replaced by its pseudonymised form.
        var content = schema.ContentColumns.Select(c => present.Contains(c.Name)
            ? $"{ValidationSql.CastExpression(c)} AS {Sql.Identifier(c.Name)}"
            : $"CAST(NULL AS {c.DuckDbType}) AS {Sql.Identifier(c.Name)}");
        var birthMonth = identity.Contains("date_of_birth") ? "strftime(TRY_STRPTIME(date_of_birth, '%Y-%m-%d'), '%Y-%m')" : "NULL";
        var sex = identity.Contains("sex") ? "sex" : "NULL";
        var lsoa = identity.Contains("postcode") && File.Exists(layout.PostcodeLookup) ? "p.lsoa11cd" : "CAST(NULL AS VARCHAR)";
        (birthMonth, lsoa) = PseudonymisedDerived(form) ?? (birthMonth, lsoa);
        var postcodeJoin = lsoa == "p.lsoa11cd"
            ? $"""
               LEFT JOIN postcode_lsoa p ON upper(replace(c.postcode, ' ', '')) = p.postcode_key
               """
            : "";
        if (postcodeJoin.Length > 0)
        {
            session.LoadPostcodes(layout.PostcodeLookup);
        }

        AtomicFile.Write(layout.StagedFile(extract.Feed, extract.ExtractId), temporary => DuckDb.Execute(db, $"""
            COPY (
              SELECT {Sql.Literal(extract.ExtractId)} AS extract_id, {Sql.Literal(extract.Provider)} AS extract_provider,
                     {Sql.Literal(extract.Period)} AS extract_period, source_row,
                     {string.Join(",\n         ", content)},
                     person_token, {birthMonth} AS birth_month, {sex} AS sex, {lsoa} AS lsoa11cd, household_token, {MatchTokenSelect}
              FROM tokened c {postcodeJoin}
              WHERE failure IS NULL ORDER BY source_row
            ) TO {Sql.Path(temporary)} (FORMAT parquet, COMPRESSION zstd)
            """));
        return ParquetFooter.Rows(layout.StagedFile(extract.Feed, extract.ExtractId));
    }

    /// <summary>Rows read, and quarantined rows by reason (in reason order, as the report lists them), in one pass over <c>checked</c>.</summary>
    private static (long RowsRead, Dictionary<string, long> Reasons) ReadAndReasons(DuckDBConnection db)
    {
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        long read = 0;
        foreach (var (reason, count) in db.Query<(string? Reason, long Count)>("SELECT split_part(failure, '|', 2), count(*) FROM checked GROUP BY 1 ORDER BY 1 NULLS FIRST"))
        {
            read += count;
            if (reason is not null)
            {
                reasons[reason] = count;
            }
        }

        return (read, reasons);
    }
}
