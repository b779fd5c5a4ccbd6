using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>
/// A refresh that adds a month gives the same snapshot, table by table and row by row, as a full
/// rebuild of the same staged extracts into a dataset with no link table, link history or earlier
/// snapshot — person ids included — and writes only the partitions whose rows changed.
/// </summary>
public class IncrementalPublishTests(IncrementalPublishTests.Fixture fixture) : IClassFixture<IncrementalPublishTests.Fixture>
{
    [Fact]
    public void Publish_AddingAMonth_EqualsAFullRebuildOfTheSameExtracts_TableByTable()
    {
        // What makes the comparison worth making: the added month registers new people (their ids must
        // come after everyone earlier, as in the rebuild), and the earlier months already had provisional
        // persons (whose ids a month of new registrations must not shift).
        PersonCount(fixture.Incremental.Snapshot(fixture.FirstSnapshotId), provisional: false)
            .Should().BeLessThan(PersonCount(fixture.Incremental.Snapshot(fixture.Added.SnapshotId), provisional: false));
        PersonCount(fixture.Incremental.Snapshot(fixture.FirstSnapshotId), provisional: true).Should().BeGreaterThan(0);

        fixture.Rebuilt.SnapshotId.Should().Be(fixture.Added.SnapshotId, "the id is a hash of the inputs");
        SnapshotComparer.Differences(fixture.Incremental.Snapshot(fixture.Added.SnapshotId), fixture.RebuiltLayout.Snapshot(fixture.Rebuilt.SnapshotId))
            .Should().BeEmpty();
    }

    [Fact]
    public void Publish_AddingAMonth_ReusesTheUnchangedMonths_AndTheSnapshotStaysWholeWhenTheOldOneIsDeleted()
    {
        fixture.Added.Partitions!.Reused.Should().BeGreaterThan(0, "months the new extracts do not touch are taken from the previous snapshot");
        fixture.Added.Partitions.Written.Should().BeGreaterThan(0, "the new month's partitions are written");
        fixture.Rebuilt.Partitions!.Reused.Should().Be(0, "a dataset with no earlier snapshot writes everything");

        // Reused files are hard links, not pointers into the old folder: deleting it loses nothing.
        var layout = fixture.CopyOf(fixture.Staged, "old-deleted");
        var first = fixture.Publish(layout, fixture.FirstMonths);
        var added = fixture.Publish(layout, fixture.Reports);
        added.Partitions!.Reused.Should().BeGreaterThan(0);
        Directory.Delete(layout.Snapshot(first.SnapshotId), recursive: true);
        SnapshotVerifier.Verify(layout.Snapshot(added.SnapshotId)).Ok.Should().BeTrue();
        SnapshotComparer.Differences(layout.Snapshot(added.SnapshotId), fixture.RebuiltLayout.Snapshot(fixture.Rebuilt.SnapshotId)).Should().BeEmpty();
    }

    private static long PersonCount(string snapshot, bool provisional)
    {
        using var db = DuckDb.OpenInMemory();
        return DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(Path.Combine(snapshot, "person", "*.parquet"))}) WHERE provisional = {provisional}");
    }

    /// <summary>
    /// 1,500 synthetic people over three months, staged once. <see cref="Incremental"/>: months 1–2
    /// published, then month 3 on top. <see cref="RebuiltLayout"/>: the same staged extracts, all three
    /// months published at once into a dataset with no linkage folder and no snapshots.
    /// </summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            SyntheticGenerator.Generate(new SyntheticOptions
            {
                People = 1500, Months = 3, Seed = 11, Faults = FaultRates.Hard, EndMonth = new DateOnly(2025, 10, 1),
                OutputFolder = Incremental.Landing, TruthFolder = Folder.Combine("truth"),
            });
            File.WriteAllBytes(Folder.Combine("test.key"), Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray());
            Key = PseudonymKey.FromFile(Folder.Combine("test.key"));
            Reports = IngestHarness.Run(Incremental, Key).Reports;
            var lastMonth = Reports.Max(r => r.Period)!;
            FirstMonths = Reports.Where(r => r.Period != lastMonth).ToList();
            Staged = CopyOf(Incremental, "staged"); // staged, nothing linked or published yet
            RebuiltLayout = CopyOf(Incremental, "rebuilt");

            FirstSnapshotId = Publish(Incremental, FirstMonths).SnapshotId;
            Added = Publish(Incremental, Reports);
            Rebuilt = Publish(RebuiltLayout, Reports);
        }

        public TempFolder Folder { get; } = new();

        public DatasetLayout Incremental => new(Folder.Combine("incremental"));

        public DatasetLayout RebuiltLayout { get; }

        /// <summary>A copy of the dataset after staging, before any publish: a template for tests that publish themselves.</summary>
        public DatasetLayout Staged { get; }

        public IReadOnlyList<StagingReport> Reports { get; }

        /// <summary>The extracts of the first two months.</summary>
        public IReadOnlyList<StagingReport> FirstMonths { get; }

        public PseudonymKey Key { get; }

        public string FirstSnapshotId { get; }

        public PublishResult Added { get; }

        public PublishResult Rebuilt { get; }

        public DatasetLayout CopyOf(DatasetLayout source, string name)
        {
            var target = Folder.Combine(name);
            FolderCopy.Copy(source.Root, target);
            return new DatasetLayout(target);
        }

        public PublishResult Publish(DatasetLayout layout, IReadOnlyList<StagingReport> reports) =>
            new SnapshotPublisher(FeedSchemaLoader.LoadAll()).Publish(new PublishOptions(layout, reports, Key.KeyId, new DuckDbLimits(1, "1GB")));

        public void Dispose() => Folder.Dispose();
    }
}
