using FluentAssertions;
using Hangfire.InMemory;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Hosting;

[Collection(HostingCollection.Name)]
public class RegistryTests
{
    [Fact]
    public void Scan_KeepsTheLandingRegistry_RefusedNamesAndACorrectedDeliverySupersedingTheEarlierOne_ThroughHangfireInMemory()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder));
        var layout = settings.Layout;
        HostingSupport.WriteLanding(layout.Landing, people: 800, extracts: 20);
        var original = Directory.GetFiles(layout.LandingFeed("apc"), "*.csv").MaxBy(path => File.ReadLines(path).Count())!;
        File.WriteAllText(Path.Combine(layout.LandingFeed("apc"), "apc-misnamed.csv"), File.ReadLines(original).First() + "\n");
        var storage = new InMemoryStorage();

        var first = HostingSupport.RunScanInProcess(settings, storage);

        first.Should().Contain("1 newly refused");
        var refused = LandingRegistry.Load(layout).Entries.Should().ContainSingle(e => e.Status == RegistryEntry.Refused).Which;
        refused.Should().Match<RegistryEntry>(e => e.FileName == "apc-misnamed.csv" && e.Feed == "apc" && e.Reason == LandingReasons.BadFileName);
        var originalId = LandingScanner.Describe("apc", original).ExtractId;
        LandingRegistry.Load(layout).Find(originalId).Should().Match<RegistryEntry>(e => e.Status == RegistryEntry.Staged && e.SupersededBy == null);

        // The provider sends a corrected delivery for the same period beside the first: half the rows.
        var lines = File.ReadAllLines(original);
        lines.Length.Should().BeGreaterThan(4, "the test needs an apc extract with rows to drop");
        var correctedPath = Path.Combine(layout.LandingFeed("apc"), Path.GetFileNameWithoutExtension(original) + ".v2.csv");
        File.WriteAllLines(correctedPath, lines.Take(1 + (lines.Length - 1) / 2));
        var correctedId = LandingScanner.Describe("apc", correctedPath).ExtractId;

        var second = HostingSupport.RunScanInProcess(settings, storage);

        second.Should().Contain("enqueued staging for 1 new extract(s)").And.Contain("0 newly refused");
        var registry = LandingRegistry.Load(layout);
        registry.Find(originalId).Should().Match<RegistryEntry>(e => e.Status == RegistryEntry.Staged && e.SupersededBy == correctedId && e.SupersededUtc != null);
        registry.Find(correctedId).Should().Match<RegistryEntry>(e => e.Status == RegistryEntry.Staged && e.SupersededBy == null && e.Rows == (lines.Length - 1) / 2);
        registry.Entries.Should().ContainSingle(e => e.Status == RegistryEntry.Refused, "the misnamed file is recorded once");

        var snapshot = layout.Snapshot(layout.CurrentSnapshotId!);
        var manifest = SnapshotManifest.Read(snapshot);
        manifest.Extracts.Select(e => e.ExtractId).Should().Contain(correctedId).And.NotContain(originalId);
        var apcRows = RowsPerExtract(Path.Combine(snapshot, "apc"));
        apcRows.Should().NotContainKey(originalId).And.ContainKey(correctedId);
        apcRows[correctedId].Should().BeGreaterThan(0).And.BeLessThanOrEqualTo((lines.Length - 1) / 2);

        // Nothing changed since: the next scan neither stages nor publishes (the snapshot holds the newest deliveries).
        var third = HostingSupport.RunScanInProcess(settings, storage);

        third.Should().Contain("enqueued staging for 0 new extract(s)").And.NotContain("enqueued a publish");
        layout.Snapshot(layout.CurrentSnapshotId!).Should().Be(snapshot);
    }

    private static Dictionary<string, long> RowsPerExtract(string tableFolder)
    {
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT extract_id, count(*) FROM read_parquet({Sql.Path(Path.Combine(tableFolder, "**", "*.parquet"))}, union_by_name = true) GROUP BY extract_id";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, long>();
        while (reader.Read())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return rows;
    }
}
