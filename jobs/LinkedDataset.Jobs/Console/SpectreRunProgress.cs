using System.Collections.Concurrent;
using LinkedDataset.Jobs.Runs;
using Spectre.Console;

namespace LinkedDataset.Jobs.Console;

/// <summary>Progress bars on the terminal; warnings are kept and printed once the bars are gone.</summary>
public sealed class SpectreRunProgress(ProgressContext context) : IRunProgress
{
    private readonly ConcurrentDictionary<string, ProgressTask> tasks = new();
    private readonly ConcurrentQueue<string> warnings = new();

    public IEnumerable<string> Warnings => warnings;

    public void Start(string stage, double total) => tasks[stage] = context.AddTask(stage, maxValue: Math.Max(total, 1));

    public void Advance(string stage, double amount = 1)
    {
        if (tasks.TryGetValue(stage, out var task))
        {
            task.Increment(amount);
        }
    }

    public void Finish(string stage)
    {
        if (tasks.TryGetValue(stage, out var task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    public void Warn(string message) => warnings.Enqueue(message);

    /// <summary>Runs <paramref name="work"/> under progress bars, then prints the warnings it raised.</summary>
    public static T Run<T>(Func<IRunProgress, T> work)
    {
        SpectreRunProgress? progress = null;
        try
        {
            return AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(context => work(progress = new SpectreRunProgress(context)));
        }
        finally
        {
            foreach (var warning in progress?.Warnings ?? [])
            {
                AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
            }
        }
    }
}
