namespace LinkedDataset.Jobs.Runs;

/// <summary>Progress of a long run, shown as bars on a terminal and ignored in tests.</summary>
public interface IRunProgress
{
    void Start(string stage, double total);

    void Advance(string stage, double amount = 1);

    void Finish(string stage);

    /// <summary>A warning for the person running the job (never row contents).</summary>
    void Warn(string message);

    public static IRunProgress Silent { get; } = new SilentProgress();

    private sealed class SilentProgress : IRunProgress
    {
        public void Start(string stage, double total) { }

        public void Advance(string stage, double amount = 1) { }

        public void Finish(string stage) { }

        public void Warn(string message) { }
    }
}
