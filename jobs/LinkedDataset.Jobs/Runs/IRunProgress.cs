using LinkedDataset.Pipeline.Orchestration;

namespace LinkedDataset.Jobs.Runs;

/// <summary>Progress of <c>ldp run</c>: the pipeline's steps plus generating and answering.</summary>
public interface IRunProgress : IStepProgress
{
    /// <summary>Progress that shows nothing (tests, jobs).</summary>
    public static IRunProgress Silent { get; } = new SilentProgress();

    private sealed class SilentProgress : IRunProgress
    {
        public void Start(string stage, double total) { }

        public void Advance(string stage, double amount = 1) { }

        public void Finish(string stage) { }

        public void Warn(string message) { }
    }
}
