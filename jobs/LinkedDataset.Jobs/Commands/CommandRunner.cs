using System.CommandLine;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary>
/// Runs a command's body so a user sees one clear line and a non-zero exit code, never a stack trace:
/// a <see cref="PipelineException"/> prints its message (exit 1); an I/O failure (missing or read-only
/// folder, full disk) says what to check (exit 1); anything else says where the full error was written
/// (exit 70). The full exception always goes to an error log, under the dataset's <c>logs/</c> when
/// there is one. Exception messages never hold row contents, so the log holds none either.
/// </summary>
public static class CommandRunner
{
    /// <summary>Exit code of a failure nobody anticipated (sysexits' EX_SOFTWARE).</summary>
    public const int UnexpectedFailure = 70;

    public static int Run(Func<int> body) => Run(dataFolder: null, body);

    /// <summary>Runs <paramref name="body"/>; <paramref name="dataFolder"/> is where the error log goes when it can.</summary>
    public static int Run(string? dataFolder, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (Exception e)
        {
            var log = ErrorLog.Write(dataFolder, e);
            var (message, code) = Explain(e, log);
            PrintError(message);
            return code;
        }
    }

    /// <summary>
    /// Runs a command on the dataset named by <paramref name="data"/>: checks it before any work starts
    /// (<see cref="DatasetAccess"/>: it exists, or can be created, and can be written;
    /// stale temporary files are removed), then runs <paramref name="body"/>.
    /// </summary>
    public static int RunOn(ParseResult parse, Option<string> data, DatasetAccess access, Func<DatasetLayout, int> body)
    {
        var folder = Path.GetFullPath(parse.GetValue(data)!);
        return Run(folder, () =>
        {
            var layout = new DatasetLayout(folder);
            if (access == DatasetAccess.Read)
            {
                DatasetPreflight.ForReading(layout);
            }
            else
            {
                DatasetPreflight.ForWriting(layout, create: access == DatasetAccess.Create);
            }

            return body(layout);
        });
    }

    /// <summary>The one line a user sees for <paramref name="e"/>, and the exit code.</summary>
    public static (string Message, int ExitCode) Explain(Exception e, string? log)
    {
        var where = log is null ? "" : $" Details: {log}";
        return e switch
        {
            PipelineException p => (p.Message, 1),
            IOException io when io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || io.HResult == 28 =>
                ($"The disk is full ({io.Message}). Free space or give another --data, then run again: temporary files are cleaned up on the next run.{where}", 1),
            IOException or UnauthorizedAccessException =>
                ($"A file could not be read or written: {e.Message}. Check the folder exists and is writable, then run again.{where}", 1),
            DuckDB.NET.Data.DuckDBException d when d.Message.Contains("IO Error", StringComparison.OrdinalIgnoreCase) =>
                ($"DuckDB could not read or write a file: {FirstLine(d.Message)}. Check the folder is writable and the disk has space, then run again.{where}", 1),
            _ => ($"Unexpected failure ({e.GetType().Name}: {FirstLine(e.Message)}). Nothing further was done.{where}", UnexpectedFailure),
        };
    }

    /// <summary>One line on standard error, never wrapped (so scripts and logs see it whole), red on a terminal.</summary>
    public static void PrintError(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        System.Console.Error.WriteLine(System.Console.IsErrorRedirected ? "error: " + line : "\u001b[31merror:\u001b[0m " + line);
    }

    private static string FirstLine(string text)
    {
        var cut = text.IndexOfAny(['\r', '\n']);
        return (cut < 0 ? text : text[..cut]).Trim();
    }
}

/// <summary>What a command does to its dataset folder, which decides the checks made before it starts.</summary>
public enum DatasetAccess
{
    /// <summary>Only reads: the folder must exist.</summary>
    Read,

    /// <summary>Writes: the folder must exist and be writable.</summary>
    Write,

    /// <summary>Builds a dataset (<c>ldp run</c>): the folder is created if missing and must be writable.</summary>
    Create,
}
