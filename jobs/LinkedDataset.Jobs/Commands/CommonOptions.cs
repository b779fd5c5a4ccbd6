using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace LinkedDataset.Jobs.Commands;

/// <summary>Options several commands share, declared once so their help reads the same everywhere.</summary>
public static partial class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Dataset folder: landing/, staging/, quarantine/, linkage/, lake/ and logs/ live under it.",
        DefaultValueFactory = _ => "data",
    };

    public static Option<string?> KeyFile() => new("--key-file")
    {
        Description = "File holding the pseudonymisation key (at least 32 bytes). Default: the LDP_PSEUDONYM_KEY environment variable, else a development key for synthetic data only.",
    };

    public static Option<int> Workers() => WithRange(
        new Option<int>("--workers")
        {
            Description = "Extracts staged at once, each in its own single-threaded DuckDB.",
            DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
        },
        1,
        256);

    public static Option<string> MemoryLimit()
    {
        var option = new Option<string>("--memory-limit")
        {
            Description = "DuckDB memory limit per job, e.g. 4GB or 512MB.",
            DefaultValueFactory = _ => "4GB",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not { } value || !MemorySize().IsMatch(value))
            {
                result.AddError($"--memory-limit '{result.GetValueOrDefault<string>()}' is not a memory size: write a number and a unit, e.g. 4GB, 512MB or 1.5GiB.");
            }
        });
        return option;
    }

    /// <summary>Adds a check, made while parsing (before any work), that the value lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> WithRange(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError(FormattableString.Invariant($"{option.Name} {value} is out of range: give {min:N0} to {max:N0}."));
            }
        });
        return option;
    }

    [GeneratedRegex(@"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex MemorySize();
}
