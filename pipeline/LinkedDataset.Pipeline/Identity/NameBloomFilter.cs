namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// A keyed bigram Bloom filter of a normalised name, the usual privacy-preserving record linkage
/// encoding (Schnell, Bachteler and Reiher 2009), so near-miss names can be compared without the
/// names: the name is padded (<c>_SMITH_</c>), split into bigrams (<c>_S SM MI IT TH H_</c>), each
/// bigram is hashed with the pseudonym key (HMAC-SHA256 of <c>bigram:</c> + bigram) to
/// <see cref="HashCount"/> bit positions of a <see cref="Bits"/>-bit filter. Two filters are compared
/// by Dice similarity, 2·|A∧B| / (|A| + |B|): SMITH/SMYTH ≈ 0.6, JOHNSON/JONSON ≈ 0.9, unrelated
/// names ≈ 0–0.3. Given and family names use the same hash functions, so a given name can be
/// compared with a family name (swapped names).
/// </summary>
public static class NameBloomFilter
{
    /// <summary>Filter length in bits (64 hex characters).</summary>
    public const int Bits = 256;

    /// <summary>Bit positions set per bigram.</summary>
    public const int HashCount = 2;

    /// <summary>The length of the hex text of a filter.</summary>
    public const int HexLength = Bits / 4;

    /// <summary>The bigrams of a normalised name, padded with <c>_</c> at both ends.</summary>
    public static IEnumerable<string> Bigrams(string normalisedName)
    {
        var padded = "_" + normalisedName + "_";
        for (var i = 0; i < padded.Length - 1; i++)
        {
            yield return padded.Substring(i, 2);
        }
    }

    /// <summary>Builds the filter from each bigram's bit positions (from <paramref name="positions"/>) as lowercase hex.</summary>
    public static string Encode(string normalisedName, Func<string, (int, int)> positions)
    {
        Span<byte> filter = stackalloc byte[Bits / 8];
        filter.Clear();
        foreach (var bigram in Bigrams(normalisedName))
        {
            var (a, b) = positions(bigram);
            filter[a >> 3] |= (byte)(1 << (a & 7));
            filter[b >> 3] |= (byte)(1 << (b & 7));
        }

        return Convert.ToHexStringLower(filter);
    }

    /// <summary>Dice similarity of two filters in hex (for tests and checks; the linker computes it in DuckDB).</summary>
    public static double Dice(string a, string b)
    {
        var x = Convert.FromHexString(a);
        var y = Convert.FromHexString(b);
        int both = 0, ones = 0;
        for (var i = 0; i < x.Length; i++)
        {
            both += System.Numerics.BitOperations.PopCount((uint)(x[i] & y[i]));
            ones += System.Numerics.BitOperations.PopCount(x[i]) + System.Numerics.BitOperations.PopCount(y[i]);
        }

        return ones == 0 ? 0 : 2.0 * both / ones;
    }
}
