using FluentAssertions;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Landing;

/// <summary>Files in landing that are not extracts are registered as refused, with a reason, and never read.</summary>
public sealed class LandingRefusalTests : IDisposable
{
    private const string ApcHeader = TestQueries.ApcHeader;
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private DatasetLayout Layout => new(temp.Combine("data"));

    private string Write(string relative, string content)
    {
        var path = Path.Combine(Layout.Landing, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void ScanAll_RefusesASymlink_WithoutFollowingIt_AndTheRegistryRecordsNothingOfTheTarget()
    {
        // A well-named "extract" that is really a link to a file outside landing (here standing in for the key file).
        var outside = temp.Combine("outside.key");
        File.WriteAllText(outside, ApcHeader + "\n");
        var link = Path.Combine(Layout.LandingFeed("apc"), "apc_RVV_2025-04.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, outside);
        Write("apc/apc_RVV_2025-05.csv", ApcHeader + "\n");

        var scan = LandingScanner.ScanAll(Layout);

        scan.Extracts.Select(e => e.FileName).Should().Equal("apc_RVV_2025-05.csv");
        var refused = scan.Refused.Should().ContainSingle().Subject;
        refused.Reason.Should().Be(LandingReasons.Symlink);
        refused.Message.Should().Contain("apc_RVV_2025-04.csv").And.Contain("symbolic link").And.NotContain(outside);
        LandingScanner.Scan(Layout).Select(e => e.FileName).Should().Equal("apc_RVV_2025-05.csv");

        var registry = LandingRegistry.Load(Layout);
        registry.Register(scan);
        var entry = registry.Entries.Single(e => e.FileName == "apc_RVV_2025-04.csv");
        entry.Status.Should().Be(RegistryEntry.Refused);
        entry.Reason.Should().Be(LandingReasons.Symlink);
        entry.Bytes.Should().Be(0);
        entry.ContentHash.Should().NotBe(LandingScanner.ContentHash(outside), "the link's target is never read");
    }

    [Fact]
    public void ScanAll_RefusesFilesAtTheRoot_InUnknownFolders_AndInFeedSubfolders_LeavingReferenceAlone()
    {
        Write("apc/apc_RVV_2025-04.csv", ApcHeader + "\n");
        Write("apc_RVV_2025-05.csv", ApcHeader + "\n");              // at the landing root
        Write("admissions/apc_RVV_2025-06.csv", ApcHeader + "\n");   // "admissions" is not a feed
        Write("apc/old/apc_RVV_2025-03.csv", ApcHeader + "\n");      // below the feed folder
        Write("_reference/postcode_lsoa.csv", "postcode,lsoa11cd\n");
        Write(".DS_Store", "");

        var scan = LandingScanner.ScanAll(Layout);

        scan.Extracts.Select(e => e.FileName).Should().Equal("apc_RVV_2025-04.csv");
        scan.Refused.Select(r => (r.Feed, r.FileName, r.Reason)).Should().BeEquivalentTo(new[]
        {
            ("apc", "apc_RVV_2025-03.csv", LandingReasons.NotInFeedFolder),
            ("", "apc_RVV_2025-05.csv", LandingReasons.NotInFeedFolder),
            ("admissions", "apc_RVV_2025-06.csv", LandingReasons.UnknownFeed),
        });
        scan.Refused.Single(r => r.Feed == "admissions").Message.Should().Contain("'admissions/', which is not a feed folder");

        var registry = LandingRegistry.Load(Layout);
        var registered = registry.Register(scan);
        registered.NewlyRefused.Select(e => (e.FileName, e.Status, e.Reason)).Should().BeEquivalentTo(new[]
        {
            ("apc_RVV_2025-03.csv", RegistryEntry.Refused, LandingReasons.NotInFeedFolder),
            ("apc_RVV_2025-05.csv", RegistryEntry.Refused, LandingReasons.NotInFeedFolder),
            ("apc_RVV_2025-06.csv", RegistryEntry.Refused, LandingReasons.UnknownFeed),
        });
    }
}
