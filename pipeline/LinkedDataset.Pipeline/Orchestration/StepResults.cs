using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Staging;

namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>What the scan step found in landing and what the registry made of it.</summary>
/// <param name="Landing">Extracts found and files refused.</param>
/// <param name="Registration">New extracts, the same bytes again (no-ops), refused files.</param>
public sealed record ScanStepResult(LandingScan Landing, RegistrationResult Registration);

/// <summary>What the staging step did.</summary>
/// <param name="Reports">One report per extract, in feed order then file name.</param>
/// <param name="Superseded">Earlier deliveries replaced by one staged now.</param>
public sealed record StageStepResult(IReadOnlyList<StagingReport> Reports, IReadOnlyList<RegistryEntry> Superseded)
{
    /// <summary>Extracts refused at file level by staging.</summary>
    public IEnumerable<StagingReport> Failed => Reports.Where(r => r.Status == StagingReport.Failed);
}

/// <summary>The data-quality step: the matrix and the files it was written to.</summary>
/// <param name="Matrix">One cell per provider × feed × month.</param>
/// <param name="Files">The Parquet and HTML files under <c>quality/&lt;snapshot id&gt;/</c>.</param>
public sealed record QualityStepResult(DqMatrixResult Matrix, DqFiles Files);

/// <summary>A whole run, step by step, with the time each took.</summary>
/// <param name="Scan">The scan step.</param>
/// <param name="Stage">The staging step.</param>
/// <param name="Snapshot">The link-and-publish step.</param>
/// <param name="Marts">The marts step.</param>
/// <param name="Quality">The data-quality step.</param>
/// <param name="Timings">Wall time per step, in order.</param>
public sealed record PipelineRunResult(
    ScanStepResult Scan, StageStepResult Stage, PublishResult Snapshot, MartsResult Marts, QualityStepResult Quality,
    IReadOnlyList<(string Step, TimeSpan Elapsed)> Timings);
