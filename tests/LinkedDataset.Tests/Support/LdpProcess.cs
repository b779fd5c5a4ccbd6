using System.Diagnostics;

namespace LinkedDataset.Tests.Support;

/// <summary>What one <c>ldp</c> command printed and returned.</summary>
public sealed record LdpOutput(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output and error together, for "contains" checks.</summary>
    public string All => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs <c>ldp</c> the way a user types it: a separate process through the real command-line parser
/// (the <c>ldp.dll</c> built beside the tests), with a wide console and no standard input.
/// </summary>
public static class LdpProcess
{
    public static LdpOutput Run(params string[] args) => Run(environment: null, args);

    public static LdpOutput Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args))!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new LdpOutput(process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>
    /// Starts a long-running <c>ldp</c> command (e.g. <c>serve</c>), waits until a line of its output
    /// contains <paramref name="ready"/> (or it exits, or <paramref name="timeout"/> passes), then stops it.
    /// </summary>
    /// <returns>The exit code (null when it was still running and had to be stopped) and the output up to then.</returns>
    public static (int? ExitCode, string Output, bool SawReady) StartAndStop(string ready, TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(null, args))!;
        process.StandardInput.Close();
        var output = new System.Text.StringBuilder();
        var sawReady = new ManualResetEventSlim();
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.Contains(ready, StringComparison.Ordinal))
            {
                sawReady.Set();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + timeout;
        while (!sawReady.IsSet && !process.HasExited && DateTime.UtcNow < deadline)
        {
            sawReady.Wait(TimeSpan.FromMilliseconds(200));
        }

        int? exit = null;
        if (process.HasExited)
        {
            exit = process.ExitCode;
        }
        else
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        lock (output)
        {
            return (exit, output.ToString(), sawReady.IsSet);
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ldp.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["COLUMNS"] = "240";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
