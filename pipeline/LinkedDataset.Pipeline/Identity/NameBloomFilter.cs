namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// A keyed bigram set of a normalised name, written as a bit vector, so near-miss names can be
/// compared without the names (the privacy-preserving record linkage idea of Schnell, Bachteler and
/// Reiher 2009, without a Bloom filter's collisions). The name is padded (<c>_SMITH_</c>) and split
/// into bigrams (<c>_S SM MI IT TH H_</c>) over an alphabet of A–Z, <c>_</c> and <c>?</c> (any other
/// letter): 784 possible bigrams, each with its own bit. Which bit is which is a permutation chosen by
/// the pseudonym key (bigrams ranked by HMAC-SHA256 of <c>bigram:</c> + bigram), so the bits cannot be
/// read without the key. Two sets are compared by Dice similarity, 2·|A∩B| / (|A| + |B|): exactly the
/// plain-text bigram Dice, under any key (no collisions, so the same decisions under every key):
/// JOHNSON/JONSON 0.86, SMITH/SMYTH 0.67, unrelated names about 0–0.2. Given and family names use the
/// same permutation, so a given name can be compared with a family name (swapped names).
/// </summary>
public static class NameBloomFilter
{
    /// <summary>The alphabet of bigram characters: A–Z, the pad <c>_</c> and <c>?</c> for any other letter.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_?";

    /// <summary>Possible bigrams, one bit each.</summary>
    public const int Bigrams = 28 * 28;

    /// <summary>64-bit words of the vector (832 bits, the last 48 always zero).</summary>
    public const int Words = 13;

    /// <summary>The length of the hex text of a vector.</summary>
    public const int HexLength = Words * 16;

    /// <summary>The index (0–783) of each bigram of a normalised name, padded with <c>_</c> at both ends.</summary>
    public static IEnumerable<int> BigramIndexes(string normalisedName)
    {
        var padded = "_" + normalisedName + "_";
        for (var i = 0; i < padded.Length - 1; i++)
        {
            yield return (Index(padded[i]) * 28) + Index(padded[i + 1]);
        }

        static int Index(char c) => Alphabet.IndexOf(c) is >= 0 and var i ? i : 27;
    }

    /// <summary>The text of bigram <paramref name="index"/> (for keying the permutation).</summary>
    public static string BigramText(int index) => string.Concat(Alphabet[index / 28], Alphabet[index % 28]);

    /// <summary>The vector of a name as lowercase hex, each bigram's bit at <paramref name="permutation"/>[bigram].</summary>
    public static string Encode(string normalisedName, IReadOnlyList<int> permutation)
    {
        Span<byte> bits = stackalloc byte[Words * 8];
        bits.Clear();
        foreach (var bigram in BigramIndexes(normalisedName))
        {
            var position = permutation[bigram];
            bits[position >> 3] |= (byte)(1 << (position & 7));
        }

        return Convert.ToHexStringLower(bits);
    }

    /// <summary>Dice similarity of two vectors in hex (for tests and checks; the linker computes it in DuckDB).</summary>
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
