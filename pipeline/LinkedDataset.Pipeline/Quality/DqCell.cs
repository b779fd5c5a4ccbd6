namespace LinkedDataset.Pipeline.Quality;

/// <summary>
/// One provider × feed × month of the data-quality matrix. Every figure is an operational count
/// about files and rows (never about a person). Rates are null where they do not apply.
/// </summary>
public sealed record DqCell
{
    public required string Feed { get; init; }
    public required string Provider { get; init; }
    public required string Period { get; init; }

    /// <summary><c>received</c>, <c>missing</c> (no delivery) or <c>refused</c> (delivered, refused at file level).</summary>
    public required string Status { get; init; }

    public string? ExtractId { get; init; }
    public string? FileName { get; init; }
    public string? RefusedReason { get; init; }
    public long RowsRead { get; init; }
    public long RowsStaged { get; init; }
    public long RowsQuarantined { get; init; }

    /// <summary>Median rows of the provider's other months (first month left out); null when not assessed.</summary>
    public double? ExpectedRows { get; init; }
    public double? VolumeZ { get; init; }
    public double? VolumeRatio { get; init; }

    /// <summary>Share of staged rows with each key field present.</summary>
    public IReadOnlyDictionary<string, double> Completeness { get; init; } = new Dictionary<string, double>();
    public double? CodeValidity { get; init; }
    public double? CostPresent { get; init; }

    /// <summary>Rows that should carry a cost (the denominator of <see cref="CostPresent"/>).</summary>
    public long CostRows { get; init; }

    /// <summary>Rows kept in the snapshot (the denominator of <see cref="LinkRate"/>).</summary>
    public long LinkRows { get; init; }
    public long NhsNumbersMissing { get; init; }
    public long NhsNumbersInvalid { get; init; }

    /// <summary>Identity values made missing for linkage by <c>column|reason</c> (the rows staged; see <c>StagingReport.IdentityValuesMadeMissing</c>).</summary>
    public IReadOnlyDictionary<string, long> IdentityValuesMadeMissing { get; init; } = new Dictionary<string, long>();

    /// <summary>Rows removed at publishing as exact copies of the kept row (within the file or across deliveries).</summary>
    public long ExactDuplicates { get; init; }

    /// <summary>Rows removed at publishing because a later copy of the record has other content (an update: counted, not a duplicate across deliveries).</summary>
    public long ResentRecords { get; init; }

    /// <summary>Records sent twice in this one file with different content (the last row is kept): counted as duplicates.</summary>
    public long ResentInFile { get; init; }

    /// <summary>(exact duplicates + records re-sent within the file) / rows staged.</summary>
    public double? DuplicateRate { get; init; }

    public double? RejectionRate { get; init; }
    public IReadOnlyDictionary<string, long> RejectionsByReason { get; init; } = new Dictionary<string, long>();
    /// <summary>Rows linked to a registered person (deterministically or probabilistically) over <see cref="LinkRows"/>; flagged under <c>link_rate_min</c>.</summary>
    public double? LinkRate { get; init; }

    /// <summary>Rows given a provisional person over <see cref="LinkRows"/>: reported beside the link rate, not part of it.</summary>
    public double? ProvisionalRate { get; init; }

    /// <summary>What the thresholds flag in this cell (empty: nothing).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}

/// <summary>The matrix of one snapshot under one set of thresholds.</summary>
public sealed record DqMatrixResult(string SnapshotId, IReadOnlyList<string> Months, IReadOnlyList<DqCell> Cells, DqThresholds Thresholds)
{
    public IEnumerable<DqCell> Flagged => Cells.Where(c => c.Flags.Count > 0);
}
