using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>
/// Publishing verifies what it wrote (every table of the manifest present, Parquet footer row counts
/// equal to the manifest's) before CURRENT moves, and never trusts a folder by its snapshot id alone.
/// </summary>
public class SnapshotVerificationTests(PublishFixture fixture) : IClassFixture<PublishFixture>
{
    [Fact]
    public void Publish_WhenATableIsCorruptedBeforeTheMove_RefusesToMarkItCurrent_AndARerunWritesItWhole()
    {
        var layout = fixture.CopyOfTemplate("corrupted");

        // After the tables are written, the person table loses all but one row (a disk or writer fault).
        var publish = () => fixture.Publish(layout, reached =>
        {
            if (reached == PublishCheckpoint.TablesWritten)
            {
                var person = Directory.GetFiles(Directory.GetDirectories(layout.Snapshots, ".tmp-*").Single(), "person.parquet", SearchOption.AllDirectories).Single();
                using var db = DuckDb.OpenInMemory();
                DuckDb.Execute(db, $"CREATE TABLE one AS SELECT * FROM read_parquet({Sql.Path(person)}) LIMIT 1");
                DuckDb.Execute(db, $"COPY one TO {Sql.Path(person)} (FORMAT parquet)");
            }
        });

        publish.Should().Throw<PipelineException>().WithMessage($"Snapshot {fixture.NewSnapshotId} failed verification after writing (table person holds 1 rows but the manifest says *)*CURRENT was not moved*");
        layout.CurrentSnapshotId.Should().Be(fixture.OldSnapshotId);
        Directory.Exists(layout.Snapshot(fixture.NewSnapshotId)).Should().BeFalse("a folder that fails verification never gets its snapshot's name");
        SnapshotCatalog.List(layout).Select(s => s.SnapshotId).Should().Equal(fixture.OldSnapshotId);

        var rerun = fixture.Publish(layout);

        rerun.SnapshotId.Should().Be(fixture.NewSnapshotId);
        layout.CurrentSnapshotId.Should().Be(fixture.NewSnapshotId);
        SnapshotComparer.Differences(layout.Snapshot(fixture.NewSnapshotId), fixture.Reference.Snapshot(fixture.NewSnapshotId)).Should().BeEmpty();
    }

    [Fact]
    public void Publish_OfASnapshotWhoseFolderFailsVerification_DoesNotTrustItsId_AndWritesItAgain()
    {
        var layout = fixture.CopyOfTemplate("broken");
        fixture.Publish(layout).AlreadyPublished.Should().BeFalse();
        Directory.Delete(Path.Combine(layout.Snapshot(fixture.NewSnapshotId), "registration"), recursive: true);

        SnapshotVerifier.Verify(layout.Snapshot(fixture.NewSnapshotId)).Problems.Should().Equal("table registration is missing");
        SnapshotCatalog.List(layout).Select(s => s.SnapshotId).Should().NotContain(fixture.NewSnapshotId, "ldp snapshots lists only whole snapshots");

        var rerun = fixture.Publish(layout);

        rerun.AlreadyPublished.Should().BeFalse("a broken folder is not a published snapshot");
        SnapshotVerifier.Verify(layout.Snapshot(fixture.NewSnapshotId)).Ok.Should().BeTrue();
        SnapshotComparer.Differences(layout.Snapshot(fixture.NewSnapshotId), fixture.Reference.Snapshot(fixture.NewSnapshotId)).Should().BeEmpty();
    }
}
