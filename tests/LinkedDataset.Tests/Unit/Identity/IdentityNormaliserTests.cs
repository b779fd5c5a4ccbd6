using FluentAssertions;
using LinkedDataset.Pipeline.Identity;
using Xunit;

namespace LinkedDataset.Tests.Unit.Identity;

public sealed class IdentityNormaliserTests
{
    [Theory]
    [InlineData("Zoë O'Brien-Smyth", "ZOEOBRIENSMYTH")] // accented, apostrophe, double-barrelled
    [InlineData("ZOE OBRIEN SMYTH", "ZOEOBRIENSMYTH")]
    [InlineData("Smith-Jones", "SMITHJONES")]
    [InlineData("Smith Jones", "SMITHJONES")]
    [InlineData("SMITH  JONES", "SMITHJONES")]
    [InlineData("smith–jones", "SMITHJONES")] // en dash
    [InlineData("  smith\tjones ", "SMITHJONES")]
    [InlineData("O’Neill", "ONEILL")] // typographic apostrophe
    [InlineData("Mr. John", "JOHN")]
    [InlineData("MRS Smith", "SMITH")]
    [InlineData("Dr Ms Jane", "JANE")] // several leading titles
    [InlineData("Miss", "MISS")] // a title alone is kept: it may be the name
    [InlineData("José-María", "JOSEMARIA")]
    [InlineData("Ångström", "ANGSTROM")]
    [InlineData("Weiß", "WEISS")]
    [InlineData("Søren Łukasz", "SORENLUKASZ")]
    [InlineData("Ævar", "AEVAR")]
    [InlineData("Anne-Marie 2", "ANNEMARIE")] // digits are dropped
    public void Name_NormalisesKnownAnswers(string raw, string expected) =>
        IdentityNormaliser.Name(raw).Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("--- '")]
    [InlineData("123")]
    public void Name_IsNull_WhenNoLetters(string? raw) => IdentityNormaliser.Name(raw).Should().BeNull();

    [Theory]
    [InlineData("ME14 1AB", "ME141AB", "ME14 1")]
    [InlineData("me141ab", "ME141AB", "ME14 1")]
    [InlineData("  Me14   1aB ", "ME141AB", "ME14 1")]
    [InlineData("CT1 2EH", "CT12EH", "CT1 2")]
    [InlineData("W1A 1AA", "W1A1AA", "W1A 1")]
    [InlineData("EC1A 1BB", "EC1A1BB", "EC1A 1")]
    [InlineData("M1 1AE", "M11AE", "M1 1")]
    [InlineData("GIR 0AA", "GIR0AA", "GIR 0")]
    public void Postcode_AndSector_NormaliseSpacingAndCase(string raw, string postcode, string sector)
    {
        IdentityNormaliser.Postcode(raw).Should().Be(postcode);
        IdentityNormaliser.PostcodeSector(raw).Should().Be(sector);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ME14")]
    [InlineData("ME14 1A")]
    [InlineData("ME14 1ABC")]
    [InlineData("1E14 1AB")]
    [InlineData("ME14-1AB")]
    [InlineData("NOT KNOWN")]
    public void Postcode_IsNull_WhenNotUkShaped(string? raw)
    {
        IdentityNormaliser.Postcode(raw).Should().BeNull();
        IdentityNormaliser.PostcodeSector(raw).Should().BeNull();
    }

    [Theory]
    [InlineData("Robert", "R163")]
    [InlineData("Rupert", "R163")]
    [InlineData("Rubin", "R150")]
    [InlineData("Ashcraft", "A261")] // H does not separate S and C
    [InlineData("Tymczak", "T522")]
    [InlineData("Pfister", "P236")] // F has the first letter's code
    [InlineData("Honeyman", "H555")]
    [InlineData("Lee", "L000")]
    [InlineData("Smith", "S530")]
    [InlineData("Smyth", "S530")]
    [InlineData("O'Brien-Smyth", "O165")]
    public void Soundex_KnownAnswers(string raw, string expected) =>
        IdentityNormaliser.Soundex(raw).Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Ωμέγα")] // letters outside A-Z have no Soundex code
    public void Soundex_IsNull_WithoutLatinLetters(string? raw) => IdentityNormaliser.Soundex(raw).Should().BeNull();
}
