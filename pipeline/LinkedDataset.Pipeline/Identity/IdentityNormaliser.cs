using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// Normalises the parts of identity used for match tokens, so that the same person written two
/// ways gives the same token. The rules (also in the README):
/// <list type="bullet">
/// <item><b>Names</b>: upper case (invariant); accents removed (Latin letters folded to their
/// Unicode NFKD base letter by a fixed table, combining marks dropped; ß→SS, Æ→AE, Œ→OE, Ĳ→IJ,
/// Ø→O, Ł→L, Đ/Ð→D, Þ→TH, Ħ→H; non-Latin letters kept as they are); every character that is not a letter (spaces, hyphens,
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
    // Base letter of each character from U+00C0 (Latin-1 Supplement, Latin Extended-A and -B), '.' = none.
    private const string LatinFold =
        "AAAAAA.CEEEEIIII.NOOOOO..UUUUY..AAAAAA.CEEEEIIII.NOOOOO..UUUUY.YAAAAAACCCCCCCCDD..EEEEEEEEEEGGGGGGGGHH..IIIIIIIIII..JJKK.LLLLLL....NNNNNN...OOOOOO..RRRRRRSSSSSSSSTTTT..UUUUUUUUUUUUWWYYYZZZZZZS................................OO.............UU............................AAIIOOUUUUUUUUUU.AAAA....GGKKOOOO..J...GG..NNAA....AAAAEEEEIIIIOOOORRRRUUUUSSTT..HH......AAEEOOOOOOOOYY............................";

    // Base letter of each character from U+1E00 (Latin Extended Additional), '.' = none.
    private const string LatinExtendedAdditionalFold =
        "AABBBBBBCCDDDDDDDDDDEEEEEEEEEEFFGGHHHHHHHHHHIIIIKKKKKKLLLLLLLLMMMMMMNNNNNNNNOOOOOOOOPPPPRRRRRRRRSSSSSSSSSSTTTTTTTTUUUUUUUUUUVVVVWWWWWWWWWWXXXXYYZZZZZZHTWY.S....AAAAAAAAAAAAAAAAAAAAAAAAEEEEEEEEEEEEEEEEIIIIOOOOOOOOOOOOOOOOOOOOOOOOUUUUUUUUUUUUUUYYYYYYYY......";

    private static readonly HashSet<string> Titles =
        ["MR", "MRS", "MS", "MISS", "MX", "MASTER", "DR", "PROF", "REV", "SIR", "DAME"];

    /// <summary>Normalises a given or family name (see the class summary); null when no letters remain.</summary>
    public static string? Name(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var words = new List<string>(4);
        var word = new StringBuilder(raw.Length + 4);
        foreach (var ch in raw)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue; // combining accents of decomposed input
            }

            if (!char.IsLetter(ch))
            {
                Flush(word, words);
                continue;
            }

            AppendFolded(char.ToUpperInvariant(ch), word);
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
    /// Appends an upper-case letter with its accent removed. A table (generated from Unicode NFKD
    /// decompositions of Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional)
    /// is used rather than <see cref="string.Normalize()"/>, which does nothing under invariant
    /// globalization and could differ between platforms: a provider at source and the pipeline
    /// must produce identical tokens.
    /// </summary>
    private static void AppendFolded(char upper, StringBuilder word)
    {
        switch (upper)
        {
            case < '\u0080':
                word.Append(upper);
                return;
            case 'ß' or 'ẞ': word.Append("SS"); return;
            case 'Æ' or 'Ǣ' or 'Ǽ': word.Append("AE"); return;
            case 'Œ': word.Append("OE"); return;
            case 'Ĳ': word.Append("IJ"); return;
            case 'Þ': word.Append("TH"); return;
            case 'Ø' or 'Ǿ': word.Append('O'); return;
            case 'Ł' or 'Ŀ': word.Append('L'); return;
            case 'Đ' or 'Ð': word.Append('D'); return;
            case 'Ħ': word.Append('H'); return;
            case 'Ŧ': word.Append('T'); return;
            case 'Ŋ': word.Append('N'); return;
            case >= '\uFF21' and <= '\uFF3A': word.Append((char)('A' + (upper - '\uFF21'))); return; // full-width
        }

        var folded = upper switch
        {
            >= '\u00C0' and <= '\u024F' => LatinFold[upper - '\u00C0'],
            >= '\u1E00' and <= '\u1EFF' => LatinExtendedAdditionalFold[upper - '\u1E00'],
            _ => '.',
        };
        word.Append(folded == '.' ? upper : folded);
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
