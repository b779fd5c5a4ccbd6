using LinkedDataset.Pipeline.Identity;

namespace LinkedDataset.Jobs.Runs;

/// <summary>
/// Where the pseudonymisation key comes from: <c>--key-file</c>, else the environment variable
/// <c>LDP_PSEUDONYM_KEY</c>, else (synthetic data only) a development key generated once outside
/// the dataset folder.
/// </summary>
public static class KeySource
{
    public const string EnvironmentVariable = "LDP_PSEUDONYM_KEY";

    /// <summary>The development key's home: outside any dataset folder, so it is never published with one.</summary>
    public static string DevelopmentKeyPath =>
        Environment.GetEnvironmentVariable("LDP_DEV_KEY_FILE") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".linkeddataset", "dev-pseudonym.key");

    /// <summary>True when <paramref name="key"/> is the development key of this machine (synthetic data only).</summary>
    public static bool IsDevelopmentKey(PseudonymKey key) =>
        File.Exists(DevelopmentKeyPath) && PseudonymKey.FromFile(DevelopmentKeyPath).KeyId == key.KeyId;

    /// <summary>Loads the key; <paramref name="warn"/> is told when a development key is used or created.</summary>
    public static PseudonymKey Resolve(string? keyFile, Action<string> warn)
    {
        if (keyFile is not null || Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 })
        {
            return PseudonymKey.Load(keyFile, EnvironmentVariable);
        }

        var path = DevelopmentKeyPath;
        if (File.Exists(path))
        {
            warn($"Using the development pseudonymisation key in {path}: for synthetic data only. Give real extracts a key with --key-file or {EnvironmentVariable}.");
            return PseudonymKey.FromFile(path);
        }

        warn($"Generated a development pseudonymisation key in {path}: for synthetic data only. Give real extracts a key with --key-file or {EnvironmentVariable}.");
        return PseudonymKey.CreateDevelopmentKey(path);
    }
}
