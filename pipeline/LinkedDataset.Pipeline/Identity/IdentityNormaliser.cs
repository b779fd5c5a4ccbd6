using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// Normalises the parts of identity used for match tokens, so that the same person written two
/// ways gives the same token. The rules (also in the README):
/// <list type="bullet">
/// <item><b>Names</b>: compatibility-decomposed (Unicode NFKD) and accents (combining marks)
/// removed; upper case (invariant); letters with no decomposition folded (ß→SS, Æ→AE, Œ→OE,
/// Ø→O, Ł→L, Đ/Ð→D, Þ→TH); every character that is not a letter (spaces, hyphens,
/// apostrophes, full stops, digits, other punctuation) separates words; leading titles (MR, MRS,
/// MS, MISS, MX, MASTER, DR, PROF, REV, SIR, DAME) are dropped while another word remains; the
/// remaining words are <b>joined with no separator</b>. So double-barrelled and hyphenated names
/// keep the joined form: "Smith-Jones", "Smith Jones", "SMITH  JONES" and "SmithJones" all give
/// <c>SMITHJONES</c>, and "Zoë O'Brien-Smyth" gives <c>ZOEOBRIENSMYTH</c>. A record holding
/// only one barrel of a double-barrelled name does not agree on this token; the phonetic code
/// and the other tokens carry that case in probabilistic linkage.</item>
/// <item><b>Postcodes</b>: all whitespace removed, upper case; must be UK-shaped (outward code
/// A9, A99, AA9, AA99, A9A or AA9A, then inward code 9AA; GIR 0AA accepted); otherwise null.</item>
/// <item><b>Postcode sector</b>: outward code, one space, first digit of the inward code (<c>ME14 1</c>).</item>
/// <item><b>Phonetic code</b>: American Soundex (letter + three digits; H and W do not separate
/// equal codes; vowels and Y do) of the normalised name.</item>
/// </list>
/// All methods return null for missing or unusable input. They are culture-invariant and thread-safe.
/// </summary>
public static partial class IdentityNormaliser
{
    private static readonly HashSet<string> Titles =
        ["MR", "MRS", "MS", "MISS", "MX", "MASTER", "DR", "PROF", "REV", "SIR", "DAME"];

    /// <summary>Normalises a given or family name (see the class summary); null when no letters remain.</summary>
    public static string? Name(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var decomposed = raw.IsNormalized(NormalizationForm.FormKD) ? raw : raw.Normalize(NormalizationForm.FormKD);
        var words = new List<string>(4);
        var word = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (!char.IsLetter(ch))
            {
                Flush(word, words);
                continue;
            }

            var upper = char.ToUpperInvariant(ch);
            switch (upper)
            {
                case 'ß' or 'ẞ': word.Append("SS"); break;
                case 'Æ': word.Append("AE"); break;
                case 'Œ': word.Append("OE"); break;
                case 'Ø': word.Append('O'); break;
                case 'Ł': word.Append('L'); break;
                case 'Đ' or 'Ð': word.Append('D'); break;
                case 'Þ': word.Append("TH"); break;
                default: word.Append(upper); break;
            }
        }

        Flush(word, words);
        var first = 0;
        while (first < words.Count - 1 && Titles.Contains(words[first]))
        {
            first++;
        }

        return first >= words.Count ? null : string.Concat(words.Skip(first));

        static void Flush(StringBuilder word, List<string> words)
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
    }

    /// <summary>
    /// Normalises a UK postcode to upper case with no spaces (<c>"me14 1ab"</c> → <c>"ME141AB"</c>);
    /// null when missing or not UK-shaped.
    /// </summary>
    public static string? Postcode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[8];
        var length = 0;
        foreach (var ch in raw)
        {
            if (char.IsWhiteSpace(ch))
            {
                continue;
            }

            if (length == buffer.Length)
            {
                return null;
            }

            buffer[length++] = char.ToUpperInvariant(ch);
        }

        var candidate = buffer[..length];
        return UkPostcode().IsMatch(candidate) ? new string(candidate) : null;
    }

    /// <summary>The postcode sector: outward code, a space, the first digit of the inward code (<c>"ME14 1"</c>); null when not UK-shaped.</summary>
    public static string? PostcodeSector(string? raw)
    {
        var postcode = Postcode(raw);
        return postcode is null ? null : string.Concat(postcode.AsSpan(0, postcode.Length - 3), " ", postcode.AsSpan(postcode.Length - 3, 1));
    }

    /// <summary>
    /// American Soundex of the normalised name (e.g. Robert and Rupert → R163, Tymczak → T522,
    /// Pfister → P236); null when the name has no letter A–Z.
    /// </summary>
    public static string? Soundex(string? raw)
    {
        var name = Name(raw);
        if (name is null)
        {
            return null;
        }

        Span<char> code = stackalloc char[4];
        var length = 0;
        var previous = '\0';
        foreach (var ch in name)
        {
            if (ch is < 'A' or > 'Z')
            {
                continue; // letters outside A-Z (e.g. Greek, Cyrillic) have no Soundex code
            }

            var digit = SoundexDigit(ch);
            if (length == 0)
            {
                code[length++] = ch;
                previous = digit;
                continue;
            }

            if (digit == '0')
            {
                // Vowels and Y separate equal codes; H and W do not.
                if (ch is not ('H' or 'W'))
                {
                    previous = '0';
                }

                continue;
            }

            if (digit != previous)
            {
                code[length++] = digit;
                if (length == 4)
                {
                    break;
                }
            }

            previous = digit;
        }

        if (length == 0)
        {
            return null;
        }

        code[length..].Fill('0');
        return new string(code);
    }

    private static char SoundexDigit(char upper) => upper switch
    {
        'B' or 'F' or 'P' or 'V' => '1',
        'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
        'D' or 'T' => '3',
        'L' => '4',
        'M' or 'N' => '5',
        'R' => '6',
        _ => '0',
    };

    [GeneratedRegex("^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$", RegexOptions.CultureInvariant)]
    private static partial Regex UkPostcode();
}
