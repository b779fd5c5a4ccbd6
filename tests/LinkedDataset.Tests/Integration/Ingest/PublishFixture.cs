using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>
/// A staged dataset with one published snapshot (the "old" one, from the first two of three months),
/// kept as a template each test copies; and a reference copy where the three months were published
/// without interruption (the "new" snapshot an interrupted publish must end up identical to).
/// </summary>
public sealed class PublishFixture : IDisposable
{
    public PublishFixture()
    {
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 300, Months = 3, Seed = 5, Faults = FaultRates.Default, EndMonth = new DateOnly(2025, 10, 1), // before the harness clock (2025-12-01)
            OutputFolder = Template.Landing, TruthFolder = Folder.Combine("truth"),
        });
        File.WriteAllBytes(KeyFile, Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 1)).ToArray());
        Key = PseudonymKey.FromFile(KeyFile);
        Reports = IngestHarness.Run(Template, Key).Reports;
        var lastMonth = Reports.Max(r => r.Period)!;
        OldSnapshotId = new SnapshotPublisher(FeedSchemaLoader.LoadAll())
            .Publish(new PublishOptions(Template, Reports.Where(r => r.Period != lastMonth).ToList(), Key.KeyId, Limits)).SnapshotId;

        Reference = CopyOfTemplate("reference");
        NewSnapshotId = Publish(Reference).SnapshotId;
    }

    public static DuckDbLimits Limits { get; } = new(1, "1GB");

    public TempFolder Folder { get; } = new();

    public DatasetLayout Template => new(Folder.Combine("template"));

    public DatasetLayout Reference { get; }

    public string KeyFile => Folder.Combine("test.key");

    public PseudonymKey Key { get; }

    public IReadOnlyList<StagingReport> Reports { get; }

    public string OldSnapshotId { get; }

    public string NewSnapshotId { get; }

    /// <summary>Publishes every staged extract (what a rerun does), with an optional test hook.</summary>
    public PublishResult Publish(DatasetLayout layout, Action<string>? checkpoint = null) =>
        new SnapshotPublisher(FeedSchemaLoader.LoadAll()).Publish(new PublishOptions(layout, Reports, Key.KeyId, Limits) { Checkpoint = checkpoint });

    public DatasetLayout CopyOfTemplate(string name)
    {
        var target = Folder.Combine(name);
        FolderCopy.Copy(Template.Root, target);
        return new DatasetLayout(target);
    }

    public void Dispose() => Folder.Dispose();
}
