using System.CommandLine;

namespace LinkedDataset.Jobs.Commands;

/// <summary>Options several commands share, declared once so their help reads the same everywhere.</summary>
public static class CommonOptions
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

    public static Option<int> Workers() => new("--workers")
    {
        Description = "Extracts staged at once, each in its own single-threaded DuckDB.",
        DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
    };

    public static Option<string> MemoryLimit() => new("--memory-limit")
    {
        Description = "DuckDB memory limit per job, e.g. 4GB.",
        DefaultValueFactory = _ => "4GB",
    };
}
