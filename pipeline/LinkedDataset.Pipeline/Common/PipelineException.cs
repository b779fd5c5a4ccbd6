namespace LinkedDataset.Pipeline.Common;

/// <summary>
/// The one exception type whose message is meant for a user: what failed, where (file, row,
/// column) and what to do. The command line prints the message and exits non-zero, with no stack
/// trace. Messages never contain row contents: identifiers and key material stay out of them.
/// </summary>
public class PipelineException : Exception
{
    public PipelineException(string message) : base(message) { }

    public PipelineException(string message, Exception inner) : base(message, inner) { }
}
