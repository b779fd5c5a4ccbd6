using System.Security.Cryptography;
using System.Text;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// The secret key for pseudonymisation (HMAC-SHA256). At least 32 bytes. The key is never logged,
/// never in an exception message and never in output: <see cref="ToString"/> and
/// <see cref="KeyId"/> give only a fingerprint, and the raw bytes are visible only inside this
/// assembly (to <see cref="Pseudonymiser"/>).
/// </summary>
/// <remarks>
/// Formats:
/// <list type="bullet">
/// <item>A key <b>file</b> holds the key as raw bytes, used exactly as stored (no decoding, no
/// trimming of newlines): the provider at source and the pipeline must use the same file.
/// <see cref="CreateDevelopmentKey"/> writes such a file.</item>
/// <item>An <b>environment variable</b> holds the key as standard base64 (e.g. the output of
/// <c>openssl rand -base64 32</c>), or as hex when prefixed <c>hex:</c> (e.g. <c>hex:</c> followed
/// by the output of <c>openssl rand -hex 32</c>). Surrounding whitespace is ignored. Raw text is
/// refused: a typed passphrase is too guessable for a key that protects ~10^9 possible NHS numbers.</item>
/// </list>
/// </remarks>
public sealed class PseudonymKey
{
    /// <summary>The shortest key accepted, in bytes (256 bits).</summary>
    public const int MinimumLength = 32;

    /// <summary>The default environment variable holding the key.</summary>
    public const string DefaultEnvironmentVariable = "LDP_PSEUDONYM_KEY";

    private static readonly byte[] KeyIdLabel = Encoding.ASCII.GetBytes("LinkedDataset key id v1");

    private readonly byte[] _key;

    private PseudonymKey(byte[] key, string source)
    {
        if (key.Length < MinimumLength)
        {
            var length = key.Length;
            CryptographicOperations.ZeroMemory(key);
            throw new PipelineException(
                $"The pseudonym key from {source} is {length} bytes; keys must be at least {MinimumLength} bytes (256 bits) of random data. " +
                "Generate one with `openssl rand -base64 32` (environment variable) or `openssl rand 32 > FILE` (key file).");
        }

        _key = key;
        Source = source;
        KeyId = Convert.ToHexStringLower(HMACSHA256.HashData(_key, KeyIdLabel), 0, 8);
    }

    /// <summary>
    /// A fingerprint that identifies the key without revealing it: the first 16 hex characters of
    /// HMAC-SHA256(key, "LinkedDataset key id v1"). Safe to log and to record with extracts and snapshots.
    /// </summary>
    public string KeyId { get; }

    /// <summary>Where the key came from (a file path or an environment variable name), never its value. Safe to log.</summary>
    public string Source { get; }

    /// <summary>The key length in bytes.</summary>
    public int Length => _key.Length;

    /// <summary>The raw key. Internal: only <see cref="Pseudonymiser"/> uses it.</summary>
    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>Wraps raw key bytes (copied). For tests and for callers that manage keys themselves.</summary>
    /// <exception cref="PipelineException">The key is shorter than <see cref="MinimumLength"/> bytes.</exception>
    public static PseudonymKey FromBytes(ReadOnlySpan<byte> key, string source = "bytes supplied in code")
        => new(key.ToArray(), source);

    /// <summary>Reads a key file: its bytes, exactly as stored, are the key.</summary>
    /// <exception cref="PipelineException">The file is missing, unreadable, or shorter than 32 bytes.</exception>
    public static PseudonymKey FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var source = $"key file '{path}'";
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PipelineException(
                $"The pseudonym key file '{path}' does not exist. Pass the key file the provider used, or set {DefaultEnvironmentVariable}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException($"The pseudonym key file '{path}' could not be read ({e.GetType().Name}). Check its permissions.");
        }

        return new PseudonymKey(bytes, source);
    }

    /// <summary>
    /// Reads the key from an environment variable holding base64, or hex prefixed <c>hex:</c>
    /// (see the class remarks).
    /// </summary>
    /// <exception cref="PipelineException">The variable is unset or empty, not valid base64/hex, or decodes to fewer than 32 bytes.</exception>
    public static PseudonymKey FromEnvironment(string variable = DefaultEnvironmentVariable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PipelineException($"The environment variable {variable} is not set; it should hold a pseudonym key in base64 (or hex prefixed 'hex:').");
        }

        return new PseudonymKey(Decode(value.Trim(), variable), $"environment variable {variable}");
    }

    /// <summary>
    /// Loads the key for a run. Precedence: an explicit <paramref name="keyFile"/> (the command
    /// line names it, so it wins, as command-line options do over the environment everywhere else);
    /// otherwise the environment variable when set and non-empty. Log <see cref="Source"/> and
    /// <see cref="KeyId"/> to show which was used.
    /// </summary>
    /// <exception cref="PipelineException">Neither source is available, or the key is unusable.</exception>
    public static PseudonymKey Load(string? keyFile, string environmentVariable = DefaultEnvironmentVariable)
    {
        if (!string.IsNullOrWhiteSpace(keyFile))
        {
            return FromFile(keyFile);
        }

        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(environmentVariable)))
        {
            return FromEnvironment(environmentVariable);
        }

        throw new PipelineException(
            $"No pseudonym key: set the environment variable {environmentVariable} (base64) or pass a key file.");
    }

    /// <summary>
    /// Creates a new development key file of 32 random bytes, readable and writable by the owner
    /// only where the OS supports Unix file modes, and returns the key. Refuses to overwrite an
    /// existing file (that would orphan every token made with it). The caller must warn that the
    /// key is for synthetic data only; keep it outside the dataset folder.
    /// </summary>
    /// <exception cref="PipelineException">The file already exists or cannot be written.</exception>
    public static PseudonymKey CreateDevelopmentKey(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new PipelineException($"A key file already exists at '{full}'; refusing to overwrite it. Load it instead, or delete it deliberately.");
        }

        var key = RandomNumberGenerator.GetBytes(MinimumLength);
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new PipelineException($"Could not write the development key file '{full}' ({e.GetType().Name}: the file may already exist or the folder is not writable).");
        }

        return new PseudonymKey(key, $"key file '{full}'");
    }

    /// <summary>Returns only the key id, never the key.</summary>
    public override string ToString() => $"PseudonymKey({KeyId})";

    private static byte[] Decode(string value, string variable)
    {
        try
        {
            return value.StartsWith("hex:", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromHexString(value.AsSpan(4))
                : Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            // The message must not echo the value: it may be a real key with a typo.
            throw new PipelineException(
                $"The environment variable {variable} is not valid base64 (or hex prefixed 'hex:'). Generate a key with `openssl rand -base64 32`.");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
