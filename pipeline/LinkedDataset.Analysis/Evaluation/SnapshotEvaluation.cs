using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>Runs an evaluation spec on a published snapshot (and its marts when built), on a sandboxed connection.</summary>
public static class SnapshotEvaluation
{
    /// <summary>
    /// Opens <paramref name="snapshotId"/> (default: current) with <see cref="SandboxedSnapshot"/>: the spec's SQL can read the
    /// snapshot and its marts folder and nothing else. Marts are optional unless a covariate needs <c>person_year</c>.
    /// </summary>
    public static EvaluationResult Run(DatasetLayout layout, EvaluationSpec spec, string? snapshotId = null, DuckDbLimits? limits = null)
    {
        var id = snapshotId ?? layout.CurrentSnapshotId ?? throw new PipelineException($"No snapshot has been published in {layout.Root}. Run 'ldp run' first.");
        var marts = layout.Marts(id);
        var hasMarts = File.Exists(Path.Combine(marts, "marts.json"));

        // The marts folder is the one extra folder the sandbox may read (SandboxedSnapshot names it "writable"; nothing is written there).
        var (db, opened) = SandboxedSnapshot.Open(layout, id, limits, hasMarts ? marts : null);
        using (db)
        {
            if (hasMarts)
            {
                MartsReader.CreateViews(db, layout, opened);
            }

            return Evaluator.Evaluate(db, spec, $"snapshot {opened}{(hasMarts ? " and its marts" : "")}", hasMarts);
        }
    }
}
