using LinkedDataset.Pipeline.Landing;

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
    double Seconds) : IDelivery
{
    /// <summary>What the landing registry records of this report.</summary>
    public StagingOutcome Outcome => new(ExtractId, Status == Failed, RowsRead, FailureCode, Error);

    /// <summary>For a failed extract, the file-level reason code (<see cref="FileReasons"/>).</summary>
    public string? FailureCode { get; init; }

    /// <summary>Staged rows with no NHS number (or a placeholder): left to probabilistic linkage, not rejected.</summary>
    public long NhsNumbersMissing { get; init; }

    /// <summary>Staged rows whose NHS number fails the format or Modulus 11 check: left to probabilistic linkage, not rejected.</summary>
    public long NhsNumbersInvalid { get; init; }

    /// <summary>
    /// Identity values made missing for linkage, by <c>column|reason</c> (<see cref="IdentityReasons"/>):
    /// an impossible date of birth, an unknown sex code, a postcode that is not UK-shaped, a bad UPRN
    /// or token. Not rejections: the row stages without that identifier.
    /// </summary>
    public IReadOnlyDictionary<string, long> IdentityValuesMadeMissing { get; init; } = new Dictionary<string, long>();

    /// <summary>Staged rows identical in every column to an earlier row of the same file (removed at publishing, see README).</summary>
    public long ExactDuplicateRows { get; init; }

    /// <summary>Staged rows whose (provider_code, record id) appears earlier in the same file with other content: the last one is kept at publishing.</summary>
    public long ResentRecordsInFile { get; init; }

    public const string Staged = "staged";
    public const string AlreadyStaged = "already staged";
    public const string Failed = "failed";
}
