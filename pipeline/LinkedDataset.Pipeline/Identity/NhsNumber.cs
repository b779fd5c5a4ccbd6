namespace LinkedDataset.Pipeline.Identity;

/// <summary>Why an NHS number was or was not accepted; staging records it as the reason code.</summary>
public enum NhsNumberStatus
{
    /// <summary>Ten digits, passes Modulus 11, not a placeholder.</summary>
    Valid,

    /// <summary>Null, empty, or only spaces and dashes.</summary>
    Missing,

    /// <summary>Only digits (after removing spaces and dashes), but not exactly ten of them.</summary>
    WrongLength,

    /// <summary>Contains a character other than a digit, a space or a dash.</summary>
    NonDigit,

    /// <summary>Ten digits whose check digit is wrong, or whose Modulus 11 remainder gives 10.</summary>
    FailsModulus11,

    /// <summary>
    /// A placeholder treated as missing: one digit repeated ten times (e.g. 0000000000, 1111111111),
    /// or a number in the 999 test range when <see cref="NhsNumberOptions.TreatTestRangeAsMissing"/> is set.
    /// </summary>
    Placeholder,
}

/// <summary>Options for NHS number validation.</summary>
public sealed record NhsNumberOptions
{
    /// <summary>The defaults: the 999 test range is accepted as real numbers.</summary>
    public static NhsNumberOptions Default { get; } = new();

    /// <summary>
    /// When true, numbers starting 999 (the range NHS England reserves for test patients) are
    /// treated as placeholders, i.e. missing. Off by default because synthetic data may use that range.
    /// </summary>
    public bool TreatTestRangeAsMissing { get; init; }
}

/// <summary>
/// Normalises and validates NHS numbers: removes spaces and dashes (only those), requires exactly
/// ten digits, applies the Modulus 11 check (weights 10..2 over the first nine digits; check digit
/// = 11 − (sum mod 11); 11 ⇒ 0; 10 ⇒ invalid) and rejects placeholders.
/// </summary>
public static class NhsNumber
{
    /// <summary>Normalises <paramref name="raw"/> to ten digits if it is a valid, non-placeholder NHS number.</summary>
    /// <param name="raw">The number as delivered, e.g. <c>"943 476 5919"</c> or <c>"943-476-5919"</c>.</param>
    /// <param name="normalised">The ten digits when valid; otherwise the empty string.</param>
    /// <param name="options">Validation options; <see cref="NhsNumberOptions.Default"/> when null.</param>
    /// <returns>True when <paramref name="raw"/> is a valid NHS number.</returns>
    public static bool TryNormalise(string? raw, out string normalised, NhsNumberOptions? options = null)
    {
        Span<char> digits = stackalloc char[10];
        if (Check(raw.AsSpan(), digits, options) == NhsNumberStatus.Valid)
        {
            normalised = new string(digits);
            return true;
        }

        normalised = string.Empty;
        return false;
    }

    /// <summary>Classifies <paramref name="raw"/>, giving the reason a number is not usable.</summary>
    public static NhsNumberStatus Check(string? raw, NhsNumberOptions? options = null)
    {
        Span<char> digits = stackalloc char[10];
        return Check(raw.AsSpan(), digits, options);
    }

    /// <summary>
    /// Allocation-free core: classifies <paramref name="raw"/> and, when it is <see cref="NhsNumberStatus.Valid"/>,
    /// leaves the ten digits in <paramref name="digits"/> (which must hold at least ten characters).
    /// </summary>
    internal static NhsNumberStatus Check(ReadOnlySpan<char> raw, Span<char> digits, NhsNumberOptions? options)
    {
        options ??= NhsNumberOptions.Default;
        var count = 0;
        var nonDigit = false;
        foreach (var c in raw)
        {
            if (c is ' ' or '-')
            {
                continue;
            }

            if (c is < '0' or > '9')
            {
                nonDigit = true;
                continue;
            }

            if (count < 10)
            {
                digits[count] = c;
            }

            count++;
        }

        if (nonDigit)
        {
            return NhsNumberStatus.NonDigit;
        }

        if (count == 0)
        {
            return NhsNumberStatus.Missing;
        }

        if (count != 10)
        {
            return NhsNumberStatus.WrongLength;
        }

        var ten = digits[..10];
        if (!ten.ContainsAnyExcept(ten[0]))
        {
            return NhsNumberStatus.Placeholder;
        }

        if (options.TreatTestRangeAsMissing && ten.StartsWith("999"))
        {
            return NhsNumberStatus.Placeholder;
        }

        return PassesModulus11(ten) ? NhsNumberStatus.Valid : NhsNumberStatus.FailsModulus11;
    }

    /// <summary>The Modulus 11 check on ten ASCII digits.</summary>
    private static bool PassesModulus11(ReadOnlySpan<char> ten)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (ten[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        return check != 10 && check == ten[9] - '0';
    }
}
