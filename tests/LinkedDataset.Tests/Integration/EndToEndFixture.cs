using LinkedDataset.Jobs.Logging;
using LinkedDataset.Jobs.Runs;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Logging;

namespace LinkedDataset.Tests.Integration;

/// <summary>
/// One end-to-end run shared by the tests of a class: a small synthetic population with no
/// injected faults (so the right answer can be worked out from the truth file alone), staged,
/// linked and published by the real main job, with its log written to the dataset folder.
/// </summary>
public sealed class EndToEndFixture : IDisposable
{
    public EndToEndFixture()
    {
        Synthetic = SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 3_000,
            Months = 13,
            Seed = 7,
            Faults = FaultRates.None,
            OutputFolder = Layout.Landing,
            TruthFolder = TruthFolder,
        });
        File.WriteAllBytes(KeyFile, Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray());
        LogFile = Path.Combine(Layout.Logs, "run.log");
        using (var file = new FileLoggerProvider(LogFile))
        using (var loggers = LoggerFactory.Create(b => b.AddProvider(file)))
        {
            Result = new MainJob(loggers).Run(new MainJobOptions(Layout.Root, KeyFile, Workers: 2), IRunProgress.Silent);
        }
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout => new(Folder.Combine("data"));

    public string TruthFolder => Folder.Combine("truth");

    public string KeyFile => Folder.Combine("test.key");

    public string LogFile { get; }

    public SyntheticResult Synthetic { get; }

    public MainJobResult Result { get; }

    public void Dispose() => Folder.Dispose();
}
