using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Landing;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// A whole extract refused at file level: <see cref="Code"/> is a stable reason code (see
/// <see cref="FileReasons"/>), the message names the file and says what is wrong and what to do.
/// The rest of the run carries on; the file is recorded, never copied.
/// </summary>
public sealed class ExtractRefusedException(string code, string message) : PipelineException(message)
{
    public string Code { get; } = code;
}

/// <summary>Reason codes for a whole extract refused at file level by staging (landing's own are <see cref="LandingReasons"/>).</summary>
public static class FileReasons
{
    /// <summary>A zip, spreadsheet or binary file named .csv: the same code landing gives a file not named .csv.</summary>
    public const string NotCsv = LandingReasons.NotCsv;
    public const string WrongDelimiter = "wrong_delimiter";
    public const string MissingColumns = "missing_required_columns";
    public const string WrongEncoding = "wrong_encoding";
    public const string TruncatedLastLine = "truncated_last_line";
    public const string EmptyFile = "empty_file";
    public const string DuplicateHeader = "duplicate_header_names";
    public const string BlankHeader = "blank_header_name";
    public const string RaggedRows = "wrong_field_count";
    public const string UnreadableCsv = "unreadable_csv";
    public const string WrongForm = "wrong_form";
    public const string KeyMismatch = "key_id_mismatch";

    /// <summary>Any other file-level refusal (a message without a more specific code).</summary>
    public const string Refused = "refused";
}
