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

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new LdpOutput(process.ExitCode, stdout, stderr.Result);
    }
}
