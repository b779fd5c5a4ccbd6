using FluentAssertions;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Ingest;

public class CsvFileCheckTests
{
    private static CsvFileShape Inspect(TempFolder folder, string text)
    {
        var path = folder.Combine("x_P_2025-01.csv");
        File.WriteAllText(path, text);
        return CsvFileCheck.Inspect(path);
    }

    [Fact]
    public void Inspect_CountsDataRows_QuotedNewlinesAndCommasStayInTheirField()
    {
        using var folder = new TempFolder();
        // Header a,b; row 1 has a quoted comma; row 2 a quoted newline and an escaped quote; blank line ignored.
        var shape = Inspect(folder, "a,b\r\n\"1,5\",x\r\n\"two\nlines\",\"say \"\"hi\"\"\"\r\n\r\n");

        shape.Header.Should().Equal("a", "b");
        shape.DataRecords.Should().Be(2);
        shape.EndsWithNewline.Should().BeTrue();
    }

    [Fact]
    public void Inspect_AcceptsALastRowWithoutNewline_WhenItHasEveryField_WithAWarning()
    {
        using var folder = new TempFolder();
        var shape = Inspect(folder, "a,b\n1,2\n3,4");

        shape.DataRecords.Should().Be(2);
        shape.Warnings("f.csv").Should().ContainSingle(w => w.Contains("no newline"));
    }

    [Theory]
    [InlineData("a,b\n1,2\n3", FileReasons.TruncatedLastLine)]
    [InlineData("a,A\n1,2\n", FileReasons.DuplicateHeader)]
    [InlineData("a|b|c\n1|2|3\n", FileReasons.WrongDelimiter)]
    [InlineData("a,b\n1,2,3\n", FileReasons.RaggedRows)]
    public void Inspect_RefusesWithTheReasonCode(string text, string code)
    {
        using var folder = new TempFolder();
        var act = () => Inspect(folder, text);
        act.Should().Throw<ExtractRefusedException>().Which.Code.Should().Be(code);
    }

    [Fact]
    public void Inspect_RefusesAnOverlongOrStrayContinuationByte_AsWrongEncoding()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("x.csv");
        File.WriteAllBytes(path, [(byte)'a', (byte)'\n', 0x80, (byte)'\n']);
        var act = () => CsvFileCheck.Inspect(path);
        act.Should().Throw<ExtractRefusedException>().Which.Code.Should().Be(FileReasons.WrongEncoding);
    }
}

public class LandingNameTests
{
    [Fact]
    public void ParseName_ReadsADeliveryLabel_AsTheSamePeriod() =>
        LandingScanner.ParseName("apc", "apc_RVV_2025-04.v2.csv").Should().Be(("RVV", "2025-04"));
}

public class DqRateTests
{
    // One bad row in eight (12.5%) against a 10% limit is chance at z = 3; 100 in 500 (20%) is not.
    [Theory]
    [InlineData(1.0 / 8, 8, false)]
    [InlineData(100.0 / 500, 500, true)]
    [InlineData(0.05, 10_000, false)]
    [InlineData(0.12, 10_000, true)]
    public void Worse_FlagsARateOnlyBeyondRandomVariation(double bad, long n, bool flagged) =>
        DqMatrix.Worse(bad, n, 0.10, 3.0).Should().Be(flagged);

    [Fact]
    public void Flags_MissingCell_IsFlaggedMissing_AndNothingElse()
    {
        var thresholds = DqThresholds.Load();
        DqMatrix.Flags(new DqCell { Feed = "op", Provider = "RWF", Period = "2025-12", Status = DqMatrix.Missing }, thresholds)
            .Should().Equal("missing");
    }

    [Fact]
    public void Flags_Volume_NeedsBothTheRobustZAndTheRelativeChange()
    {
        var thresholds = DqThresholds.Load();
        DqCell Cell(double z, double ratio) => new() { Feed = "gp_event", Provider = "G1", Period = "2025-11", Status = DqMatrix.Received, VolumeZ = z, VolumeRatio = ratio };

        DqMatrix.Flags(Cell(-9, 0.5), thresholds).Should().Equal("volume_low");
        DqMatrix.Flags(Cell(-9, 0.9), thresholds).Should().BeEmpty("a 10% dip is within the relative change allowed");
        DqMatrix.Flags(Cell(-2, 0.5), thresholds).Should().BeEmpty("a halving of a handful of rows is within Poisson noise");
    }
}
