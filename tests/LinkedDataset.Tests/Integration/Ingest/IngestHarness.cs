using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>What one ingest pass did: the scan's registration, every staging report, and supersessions.</summary>
public sealed record IngestPass(RegistrationResult Registration, IReadOnlyList<StagingReport> Reports, IReadOnlyList<RegistryEntry> Superseded)
{
    public StagingReport Report(string fileName) => Reports.Single(r => r.FileName == fileName);
}

/// <summary>
/// The staging half of <c>ldp run</c> as the main job does it: scan landing (refusing what is not
/// an extract), register, stage every extract, record staging in the registry, check accounting.
/// </summary>
public static class IngestHarness
{
    /// <summary>The clock tests stage under: 1 December 2025.</summary>
    public static readonly FixedClock Clock = new(new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public static IngestPass Run(DatasetLayout layout, PseudonymKey key, FeedForms? forms = null)
    {
        var scan = LandingScanner.ScanAll(layout);
        var registry = LandingRegistry.Load(layout);
        var registration = registry.Register(scan, Clock);
        var stager = new ExtractStager(FeedSchemaLoader.LoadAll());
        var reports = scan.Extracts.Select(e => stager.Stage(e, new StagingOptions(layout, key, new DuckDbLimits(1, "1GB"), forms ?? FeedForms.AllIdentifiable, Clock))).ToList();
        var superseded = registry.RecordStaging(reports.Select(r => r.Outcome), Clock);
        registry.Save();
        IngestAccounting.Check(layout, reports);
        return new IngestPass(registration, reports, superseded);
    }

    /// <summary>Writes a landing file (UTF-8, no BOM) and returns its path.</summary>
    public static string Land(DatasetLayout layout, string feed, string fileName, string text) =>
        LandBytes(layout, feed, fileName, new System.Text.UTF8Encoding(false).GetBytes(text));

    public static string LandBytes(DatasetLayout layout, string feed, string fileName, byte[] bytes)
    {
        var path = Path.Combine(layout.LandingFeed(feed), fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
