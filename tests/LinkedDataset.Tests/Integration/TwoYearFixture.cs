using Hangfire.InMemory;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Jobs.Hosting.Jobs;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Tests.Integration;

/// <summary>
/// A dataset every capability can run on, shared by the notebook and report-set tests: ~2,000 people over
/// 21 months (the shipped evaluation spec needs 18 months of windows: 9 before the index month and 8 after)
/// with a high social prescribing referral rate, staged, linked, published and its marts built by the real
/// main job (the `ldp run` path). Small on purpose: the full suite is long already.
/// </summary>
public sealed class TwoYearFixture : IDisposable
{
    private readonly Lazy<string> reportsJob;

    public TwoYearFixture()
    {
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 2_000,
            Months = 21,
            Seed = 11,
            Faults = FaultRates.None,
            OutputFolder = Layout.Landing,
            TruthFolder = Folder.Combine("truth"),
            Intervention = new InterventionParameters { ReferralRatePer1000Adults = 200 },
        });
        File.WriteAllBytes(KeyFile, Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 1)).ToArray());
        Result = new MainJob(NullLoggerFactory.Instance).Run(new MainJobOptions(Layout.Root, KeyFile, Workers: 2), IRunProgress.Silent);
        reportsJob = new Lazy<string>(() => new ReportsJob(new JobEnvironment(Settings, new InMemoryStorage(), NullLoggerFactory.Instance)).Run(CancellationToken.None));
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout => new(Folder.Combine("data"));

    public string KeyFile => Folder.Combine("test.key");

    public MainJobResult Result { get; }

    public string SnapshotId => Result.Snapshot.SnapshotId;

    /// <summary>Settings of `ldp serve` on this dataset (no port: tests use the test server).</summary>
    public ServeSettings Settings => new() { Data = Layout.Root, KeyFile = KeyFile, DuckDbThreads = 1, DuckDbMemory = "1GB", Port = 0 };

    /// <summary>
    /// The scheduled Reports job's message, the job run once on first use: the report-set tests read the set it
    /// wrote rather than each rendering every report again.
    /// </summary>
    public string ReportsJobMessage => reportsJob.Value;

    public void Dispose() => Folder.Dispose();
}

/// <summary>Test classes in this collection share one two-year dataset.</summary>
[CollectionDefinition(Name)]
public sealed class TwoYearCollection : ICollectionFixture<TwoYearFixture>
{
    public const string Name = "two-year dataset";
}
