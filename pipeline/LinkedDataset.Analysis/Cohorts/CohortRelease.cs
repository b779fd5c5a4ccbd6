using Dapper;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>
/// The people of a cohort definition, for <c>ldp extract --cohort FILE</c>: the cohort is built on the snapshot
/// (<see cref="CohortRunner"/>, sandboxed, report included) and its person ids handed to the extractor, which
/// never sees the definition. Cohort files hold no SQL, so nothing a user writes reaches DuckDB as code.
/// </summary>
public static class CohortRelease
{
    /// <summary>Builds the cohort of <paramref name="definitionPath"/> on <paramref name="snapshotId"/> (default current) and returns its people.</summary>
    public static ReleaseCohort Build(DatasetLayout layout, string definitionPath, string? snapshotId = null, DuckDbLimits? limits = null)
    {
        var run = CohortRunner.Run(new CohortRunOptions(layout, definitionPath, snapshotId, Limits: limits));
        using var db = DuckDb.OpenInMemory(limits);
        var ids = db.Query<long>($"SELECT person_id FROM read_parquet({Sql.Path(run.PersonTable)}) ORDER BY person_id").AsList();

        return new ReleaseCohort(run.Name, Path.GetFileName(definitionPath), run.Provenance.DefinitionSha256, run.Provenance.SnapshotId, ids);
    }
}
