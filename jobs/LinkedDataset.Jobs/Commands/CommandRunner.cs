using LinkedDataset.Pipeline.Common;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary>Runs a command's body: a <see cref="PipelineException"/> becomes its message and exit code 1, not a stack trace.</summary>
public static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (PipelineException e)
        {
            AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(e.Message));
            return 1;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
    }
}
