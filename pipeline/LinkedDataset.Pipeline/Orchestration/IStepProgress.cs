namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>Progress of a long step, shown as bars on a terminal and ignored by jobs and tests.</summary>
public interface IStepProgress
{
    /// <summary>A step starts with <paramref name="total"/> units of work.</summary>
    void Start(string stage, double total);

    /// <summary>Some units of the step are done.</summary>
    void Advance(string stage, double amount = 1);

    /// <summary>The step is done.</summary>
    void Finish(string stage);

    /// <summary>A warning for the person running the job (never row contents).</summary>
    void Warn(string message);

    /// <summary>Progress that shows nothing.</summary>
    public static IStepProgress None { get; } = new NoProgress();

    private sealed class NoProgress : IStepProgress
    {
        public void Start(string stage, double total) { }

        public void Advance(string stage, double amount = 1) { }

        public void Finish(string stage) { }

        public void Warn(string message) { }
    }
}
