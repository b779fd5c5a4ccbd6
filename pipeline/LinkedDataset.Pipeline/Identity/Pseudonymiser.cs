using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// Turns identifiers into keyed pseudonyms with HMAC-SHA256. The same code runs at source
/// (<c>ldp pseudonymise</c>) and in staging.
/// </summary>
/// <remarks>
/// <para><b>Token format</b>: HMAC-SHA256(key, domain prefix + normalised value as UTF-8),
/// truncated to the first 16 bytes (128 bits) and written as 32 lowercase hex characters.
/// 128 bits keeps collisions negligible (~10^-20 for 10^9 identifiers) while halving storage.
/// Domain prefixes: <c>nhs:</c> (NHS number, ten digits), <c>uprn:</c> (UPRN digits, leading
/// zeros removed), and the match-token prefixes listed on <see cref="MatchTokens"/>.</para>
/// <para><b>Not thread-safe</b>: it holds one reused <see cref="HMACSHA256"/> instance (about
/// twice as fast as the static <c>HashData</c>). Create one per thread or job; they are cheap.
/// Dispose it when done.</para>
/// </remarks>
public sealed class Pseudonymiser : IDisposable
{
    private const int TokenBytes = 16;
    private const int StackLimit = 256;

    private readonly HMACSHA256 _hmac;
    private readonly NhsNumberOptions _nhsOptions;
    private int[]? _permutation;

    /// <summary>Creates a pseudonymiser for <paramref name="key"/>.</summary>
    /// <param name="key">The pseudonym key.</param>
    /// <param name="nhsNumberOptions">NHS number validation options (e.g. the 999 test range as missing).</param>
    public Pseudonymiser(PseudonymKey key, NhsNumberOptions? nhsNumberOptions = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _hmac = new HMACSHA256(key.Bytes.ToArray());
        _nhsOptions = nhsNumberOptions ?? NhsNumberOptions.Default;
        KeyId = key.KeyId;
    }

    /// <summary>The id of the key in use (safe to record with outputs).</summary>
    public string KeyId { get; }

    /// <summary>
    /// The person token: the keyed hash of the normalised, Modulus-11-valid NHS number; null when
    /// the number is missing, invalid or a placeholder (see <see cref="NhsNumber.Check(string?, NhsNumberOptions?)"/>).
    /// </summary>
    public string? PersonToken(string? rawNhsNumber)
    {
        Span<char> digits = stackalloc char[10];
        return NhsNumber.Check(rawNhsNumber.AsSpan(), digits, _nhsOptions) == NhsNumberStatus.Valid
            ? Token("nhs:"u8, digits)
            : null;
    }

    /// <summary>
    /// The household token: the keyed hash of the UPRN (surrounding whitespace trimmed, digits
    /// only, 1–12 digits, leading zeros removed); null when missing, not digits, or zero.
    /// </summary>
    public string? HouseholdToken(string? uprn)
    {
        var value = uprn.AsSpan().Trim();
        if (value.IsEmpty || value.Length > 12 || value.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        value = value.TrimStart('0');
        return value.IsEmpty ? null : Token("uprn:"u8, value);
    }

    /// <summary>The match tokens for probabilistic linkage (see <see cref="MatchTokens"/> for each part).</summary>
    /// <param name="givenName">Given name as written.</param>
    /// <param name="familyName">Family name as written.</param>
    /// <param name="dateOfBirth">A valid date of birth, or null.</param>
    /// <param name="postcode">Postcode as written.</param>
    /// <param name="yearOnly">When <paramref name="dateOfBirth"/> is null: a year of birth still known (an impossible but well-shaped date, <see cref="PseudonymisedForm.YearOfImpossibleDate"/>).</param>
    public MatchTokens MatchTokens(string? givenName, string? familyName, DateOnly? dateOfBirth, string? postcode, int? yearOnly = null)
    {
        var given = IdentityNormaliser.Name(givenName);
        var family = IdentityNormaliser.Name(familyName);
        var soundex = IdentityNormaliser.Soundex(familyName);
        var givenSoundex = IdentityNormaliser.Soundex(givenName);
        var fullPostcode = IdentityNormaliser.Postcode(postcode);
        var sector = fullPostcode is null ? null : IdentityNormaliser.PostcodeSector(fullPostcode);

        string? dob = null, yob = null, swapped = null, dayMonth = null;
        if (dateOfBirth is { } date)
        {
            dob = DateToken(date);
            yob = YearToken(date.Year);
            dayMonth = DayMonthToken(date);
            if (date.Day != date.Month && date.Day <= 12)
            {
                swapped = DateToken(new DateOnly(date.Year, date.Day, date.Month));
            }
        }
        else if (yearOnly is { } year and >= 1 and <= 9999)
        {
            yob = YearToken(year);
        }

        return new MatchTokens(
            GivenName: given is null ? null : Token("given:"u8, given),
            FamilyName: family is null ? null : Token("family:"u8, family),
            FamilyNamePhonetic: soundex is null ? null : Token("soundex:"u8, soundex),
            FirstInitial: given is null ? null : Token("initial:"u8, given.AsSpan(0, 1)),
            DateOfBirth: dob,
            YearOfBirth: yob,
            DateOfBirthSwapped: swapped,
            Postcode: fullPostcode is null ? null : Token("postcode:"u8, fullPostcode),
            PostcodeSector: sector is null ? null : Token("sector:"u8, sector),
            GivenNamePhonetic: givenSoundex is null ? null : Token("gsoundex:"u8, givenSoundex),
            GivenNameBloom: given is null ? null : NameBloomFilter.Encode(given, BigramPermutation()),
            FamilyNameBloom: family is null ? null : NameBloomFilter.Encode(family, BigramPermutation()),
            DayMonthOfBirth: dayMonth);
    }

    /// <summary>
    /// The keyed permutation of bigram bits (<see cref="NameBloomFilter"/>): bigrams ranked by
    /// HMAC-SHA256(key, <c>bigram:</c> + bigram). Computed once per pseudonymiser.
    /// </summary>
    private int[] BigramPermutation()
    {
        if (_permutation is not null)
        {
            return _permutation;
        }

        var ranked = Enumerable.Range(0, NameBloomFilter.Bigrams)
            .Select(b => (Bigram: b, Hash: Token("bigram:"u8, NameBloomFilter.BigramText(b))))
            .OrderBy(x => x.Hash, StringComparer.Ordinal).ToList();
        var permutation = new int[NameBloomFilter.Bigrams];
        for (var position = 0; position < ranked.Count; position++)
        {
            permutation[ranked[position].Bigram] = position;
        }

        return _permutation = permutation;
    }

    private string YearToken(int year)
    {
        Span<char> text = stackalloc char[4];
        year.TryFormat(text, out var written, "D4", CultureInfo.InvariantCulture);
        return Token("yob:"u8, text[..written]);
    }

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under <paramref name="key"/> (the full 32 bytes); exposed for RFC 4231 known-answer tests.</summary>
    public static byte[] HmacSha256(byte[] key, byte[] message)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        return HMACSHA256.HashData(key, message);
    }

    /// <inheritdoc />
    public void Dispose() => _hmac.Dispose();

    private string DateToken(DateOnly date)
    {
        Span<char> text = stackalloc char[10];
        date.TryFormat(text, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Token("dob:"u8, text[..written]);
    }

    private string DayMonthToken(DateOnly date)
    {
        Span<char> text = stackalloc char[5];
        date.TryFormat(text, out var written, "MM-dd", CultureInfo.InvariantCulture);
        return Token("daymonth:"u8, text[..written]);
    }

    private string Token(ReadOnlySpan<byte> domain, ReadOnlySpan<char> value)
    {
        var max = domain.Length + Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var message = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            domain.CopyTo(message);
            var length = domain.Length + Encoding.UTF8.GetBytes(value, message[domain.Length..]);
            Span<byte> hash = stackalloc byte[32];
            if (!_hmac.TryComputeHash(message[..length], hash, out _))
            {
                throw new CryptographicException("HMAC-SHA256 did not produce a 32-byte hash.");
            }

            return Convert.ToHexStringLower(hash[..TokenBytes]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
