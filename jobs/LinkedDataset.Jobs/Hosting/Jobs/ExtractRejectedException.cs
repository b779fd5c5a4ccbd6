using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Jobs.Hosting.Jobs;

/// <summary>
/// An extract that staging refused as a whole (unreadable CSV, required column missing). Retrying
/// cannot help, so the job fails at once and stays in the dashboard's Failed list with this message.
/// </summary>
public sealed class ExtractRejectedException(string message) : PipelineException(message);
