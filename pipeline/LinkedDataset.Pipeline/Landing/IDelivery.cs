namespace LinkedDataset.Pipeline.Landing;

/// <summary>
/// One delivery of a provider's extract, as the landing registry ranks it: the stages above landing
/// (staging's reports) implement it, so the registry never needs to know their types.
/// </summary>
public interface IDelivery
{
    /// <summary>Hash of feed, provider, period and the file's bytes.</summary>
    string ExtractId { get; }

    /// <summary>Feed name, e.g. <c>apc</c>.</summary>
    string Feed { get; }

    /// <summary>Provider code from the file name.</summary>
    string Provider { get; }

    /// <summary>Extract period, <c>YYYY-MM</c>.</summary>
    string Period { get; }

    /// <summary>The landing file name (never its contents).</summary>
    string FileName { get; }
}

/// <summary>
/// What staging did with one registered extract, as the landing registry records it.
/// </summary>
/// <param name="ExtractId">The extract.</param>
/// <param name="Failed">Refused at file level by staging.</param>
/// <param name="RowsRead">Data rows read (header excluded).</param>
/// <param name="Reason">The file-level reason code when failed.</param>
/// <param name="Error">The message when failed.</param>
public sealed record StagingOutcome(string ExtractId, bool Failed, long RowsRead, string? Reason, string? Error);
