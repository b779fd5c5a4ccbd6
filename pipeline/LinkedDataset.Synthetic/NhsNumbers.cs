namespace LinkedDataset.Synthetic;

/// <summary>
/// Synthetic NHS numbers: valid Modulus 11, unique, in the 999 test range (999 000 0000 to
/// 999 999 9999). That range holds 909,091 valid numbers; beyond them the allocator moves on to
/// the 998, 997, ... blocks (still never issued in England) and says so in effects.json.
/// </summary>
public static class NhsNumbers
{
    private const int BlockSize = 1_000_000;
    private const long Multiplier = 738_469; // coprime with 10^6: a permutation of each block

    /// <summary>The check digit for the first nine digits, or -1 when there is none (remainder gives 10).</summary>
    public static int CheckDigit(long firstNine)
    {
        var sum = 0;
        for (var weight = 2; weight <= 10; weight++)
        {
            sum += (int)(firstNine % 10) * weight;
            firstNine /= 10;
        }

        var check = 11 - sum % 11;
        return check switch { 11 => 0, 10 => -1, _ => check };
    }

    /// <summary>True when <paramref name="nhsNumber"/> is 10 digits with a valid Modulus 11 check digit.</summary>
    public static bool IsValid(string nhsNumber)
    {
        var digits = nhsNumber.Replace(" ", "").Replace("-", "");
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var check = CheckDigit(long.Parse(digits[..9], System.Globalization.CultureInfo.InvariantCulture));
        return check >= 0 && check == digits[9] - '0';
    }

    internal sealed class Allocator(ulong seed)
    {
        private readonly long _offset = (long)(seed % BlockSize);
        private long _next;

        public int BlocksUsed => (int)(_next / BlockSize) + 1;

        public long Next()
        {
            while (true)
            {
                var block = _next / BlockSize;
                var within = (_next % BlockSize * Multiplier + _offset) % BlockSize;
                _next++;
                var firstNine = (999 - block) * BlockSize + within;
                var check = CheckDigit(firstNine);
                if (check >= 0)
                {
                    return firstNine * 10 + check;
                }
            }
        }
    }
}
