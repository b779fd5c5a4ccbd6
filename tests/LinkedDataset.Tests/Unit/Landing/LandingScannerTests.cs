using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Landing;

public class LandingScannerTests
{
    [Theory]
    [InlineData("apc", "apc_RVV_2025-04.csv", "RVV", "2025-04")]
    [InlineData("gp_event", "gp_event_G82001_2024-12.csv", "G82001", "2024-12")]
    [InlineData("social_care", "social_care_886_2025-01.csv", "886", "2025-01")]
    public void ParseName_ReadsProviderAndPeriod_FromFeedPrefixedNames(string feed, string file, string provider, string period) =>
        LandingScanner.ParseName(feed, file).Should().Be((provider, period));

    [Theory]
    [InlineData("apc", "admissions.csv")]
    [InlineData("apc", "apc_RVV.csv")]
    [InlineData("apc", "apc_RVV_April.csv")]
    [InlineData("apc", "ae_RVV_2025-04.csv")]
    public void ParseName_RejectsNamesWithoutFeedProviderAndPeriod_NamingTheFile(string feed, string file) =>
        FluentActions.Invoking(() => LandingScanner.ParseName(feed, file))
            .Should().Throw<PipelineException>().WithMessage($"*{file}*");

    [Fact]
    public void ExtractId_IsTheSameForTheSameBytes_AndDiffersForOtherBytes()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("a.csv"), "x\n1\n");
        File.WriteAllText(folder.Combine("b.csv"), "x\n1\n");
        File.WriteAllText(folder.Combine("c.csv"), "x\n2\n");

        LandingScanner.ContentHash(folder.Combine("a.csv")).Should().Be(LandingScanner.ContentHash(folder.Combine("b.csv")))
            .And.NotBe(LandingScanner.ContentHash(folder.Combine("c.csv")));
    }

    [Fact]
    public void ExtractId_DiffersBetweenProvidersOrPeriods_ForIdenticalBytes()
    {
        // Two header-only files from different providers must stay two extracts.
        var content = new string('a', 64);
        var ids = new[]
        {
            LandingScanner.ExtractId("apc", "RVV", "2025-04", content),
            LandingScanner.ExtractId("apc", "RWF", "2025-04", content),
            LandingScanner.ExtractId("apc", "RVV", "2025-05", content),
            LandingScanner.ExtractId("ae", "RVV", "2025-04", content),
        };
        ids.Should().OnlyHaveUniqueItems();
        LandingScanner.ExtractId("apc", "RVV", "2025-04", content).Should().Be(ids[0]);
    }
}
