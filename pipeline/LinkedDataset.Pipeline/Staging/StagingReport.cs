namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// What staging did with one extract: written beside the staged Parquet as JSON once staging has
/// finished, so its presence means the extract is staged (a retry of the job is then a no-op).
/// </summary>
public sealed record StagingReport(
    string ExtractId,
    string Feed,
    string Provider,
    string Period,
    string FileName,
    string Status,
    long RowsRead,
    long RowsStaged,
    long RowsQuarantined,
    IReadOnlyDictionary<string, long> QuarantineReasons,
    long RowsWithPersonToken,
    string SchemaVersion,
    string KeyId,
    string? Error,
    IReadOnlyList<string> Warnings,
    double Seconds)
{
    public const string Staged = "staged";
    public const string AlreadyStaged = "already staged";
    public const string Failed = "failed";
}
