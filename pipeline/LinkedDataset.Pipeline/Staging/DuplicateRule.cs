using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// The written-down duplicate rule (README, "Ingest you can trust"), in one place. Within a feed a
/// record is identified by (<c>provider_code</c>, the schema's <c>record_id</c>). Of all staged
/// copies of a record — exact duplicate rows, a record re-sent in the same file, or re-sent in a
/// later delivery — exactly one is kept: the one from the latest extract period, then the latest
/// delivery (extract id as tie-break, since only one delivery per provider + feed + period is
/// published), then the last row of the file. The others are removed at publishing and counted:
/// as exact duplicates when every content column equals the kept copy's, else as re-sent records.
/// </summary>
public static class DuplicateRule
{
    /// <summary>The window that numbers copies of a record; row number 1 is kept.</summary>
    public static string Window(FeedSchema schema) =>
        $"PARTITION BY provider_code, {Sql.Identifier(schema.RecordId)} ORDER BY extract_period DESC, extract_id DESC, source_row DESC";
}
