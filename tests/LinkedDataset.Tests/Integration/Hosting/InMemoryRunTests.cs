using FluentAssertions;
using Hangfire.InMemory;
using LinkedDataset.Pipeline.Governance;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Hosting;

[Collection(HostingCollection.Name)]
public class InMemoryRunTests
{
    [Fact]
    public void Scan_StagesAndPublishesLanding_ThroughHangfireInMemory_AndASecondRunIsANoOp()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder));
        var layout = settings.Layout;
        var files = HostingSupport.WriteLanding(layout.Landing, people: 800, extracts: 12);
        var storage = new InMemoryStorage();

        var first = HostingSupport.RunScanInProcess(settings, storage);

        first.Should().Contain("enqueued staging for 12 new extract(s)");
        var landed = LandingScanner.Scan(layout);
        landed.Should().HaveCount(files.Count);
        landed.Select(e => ExtractStager.TryReadReport(layout.StagingReport(e.Feed, e.ExtractId))?.Status)
            .Should().AllBe(StagingReport.Staged);
        var snapshot = layout.CurrentSnapshotId;
        snapshot.Should().NotBeNull();
        Directory.GetDirectories(layout.Snapshots).Should().ContainSingle();
        SnapshotManifest.Read(layout.Snapshot(snapshot!)).Extracts.Select(e => e.ExtractId)
            .Should().BeEquivalentTo(landed.Select(e => e.ExtractId));
        var audit = AuditLog.For(layout).ReadAll();
        audit.Where(e => e.What == AuditWhat.ExtractStaged).SelectMany(e => e.ExtractIds!)
            .Should().BeEquivalentTo(landed.Select(e => e.ExtractId), "each staging job audits the extract it staged");
        audit.Where(e => e.What == AuditWhat.SnapshotPublished).Should().ContainSingle()
            .Which.SnapshotId.Should().Be(snapshot);
        var stagedAt = landed.Select(e => File.GetLastWriteTimeUtc(layout.StagedFile(e.Feed, e.ExtractId))).ToList();

        // Again, on the same storage: nothing new to stage, nothing to publish.
        var second = HostingSupport.RunScanInProcess(settings, storage);

        second.Should().Contain("enqueued staging for 0 new extract(s)").And.NotContain("enqueued a publish");
        landed.Select(e => File.GetLastWriteTimeUtc(layout.StagedFile(e.Feed, e.ExtractId))).Should().Equal(stagedAt);
        Directory.GetDirectories(layout.Snapshots).Should().ContainSingle();
        layout.CurrentSnapshotId.Should().Be(snapshot);

        // And on fresh storage (a restarted embedded server): staging finds every extract staged,
        // and the publish finds the current snapshot already holds them.
        var restarted = HostingSupport.RunScanInProcess(settings, new InMemoryStorage());

        restarted.Should().Contain("enqueued staging for 0 new extract(s)");
        Directory.GetDirectories(layout.Snapshots).Should().ContainSingle();
        layout.CurrentSnapshotId.Should().Be(snapshot);
    }
}
