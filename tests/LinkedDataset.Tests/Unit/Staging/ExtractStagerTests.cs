using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Staging;

public class ExtractStagerTests
{
    // Six spells, worked by hand:
    //  1 valid, NHS number 9434765919 (Modulus 11: 299 mod 11 = 2, 11 - 2 = 9 = check digit) → staged, token
    //  2 valid, the same NHS number written with spaces                                        → staged, same token
    //  3 no admission date                                                                     → quarantined: admission_date missing_required
    //  4 admission method 99 (not a code)                                                      → quarantined: admission_method code_not_in_code_set
    //  5 admission date 2025-13-01                                                             → quarantined: admission_date invalid_date
    //  6 NHS number 9434765918 (fails Modulus 11)                                              → staged, no token
    private const string Header = TestQueries.ApcHeader;

    private static readonly string[] Rows =
    [
        "S1,RVV,2025-04-02,2025-04-05,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,100000000001",
        "S2,RVV,2025-04-10,2025-04-10,11,2,K359,100,943 476 5919,Ann,Example,1950-06-15,2,ct11aa,100000000001",
        "S3,RVV,,2025-04-12,21,1,J189,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
        "S4,RVV,2025-04-03,2025-04-04,99,1,J189,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
        "S5,RVV,2025-13-01,2025-04-04,21,1,J189,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
        "S6,RVV,2025-04-20,2025-04-22,22,1,J440,300,9434765918,Bob,Sample,1949-01-02,1,ME1 1AA,",
    ];

    private static (DatasetLayout Layout, LandedExtract Extract) Land(TempFolder folder, IEnumerable<string> lines)
    {
        var layout = new DatasetLayout(folder.Path);
        var path = Path.Combine(layout.LandingFeed("apc"), "apc_RVV_2025-04.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return (layout, LandingScanner.Describe("apc", path));
    }

    private static StagingReport StageSixSpells(TempFolder folder, out DatasetLayout layout, out LandedExtract extract)
    {
        (layout, extract) = Land(folder, [Header, .. Rows]);
        var stager = new ExtractStager(FeedSchemaLoader.LoadAll());
        return stager.Stage(extract, new StagingOptions(layout, TestKeys.Write(folder)));
    }

    [Fact]
    public void Stage_AccountsForEveryRow_AsStagedOrQuarantinedWithAReason()
    {
        using var folder = new TempFolder();
        var report = StageSixSpells(folder, out _, out _);

        report.Status.Should().Be(StagingReport.Staged, report.Error);
        report.RowsRead.Should().Be(6);
        report.RowsStaged.Should().Be(3);
        report.RowsQuarantined.Should().Be(3);
        report.QuarantineReasons.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["missing_required"] = 1,
            ["code_not_in_code_set"] = 1,
            ["invalid_date"] = 1,
        });
    }

    [Fact]
    public void Stage_QuarantinesRows_WithSourceRowColumnAndReason_AndNoRowContents()
    {
        using var folder = new TempFolder();
        StageSixSpells(folder, out var layout, out var extract);

        using var db = DuckDb.OpenInMemory();
        var rows = TestQueries.Rows(db, $"SELECT source_row, column_name, reason FROM read_parquet({Sql.Path(layout.QuarantineFile("apc", extract.ExtractId))}) ORDER BY source_row");
        rows.Should().Equal(
            "3|admission_date|missing_required",
            "4|admission_method|code_not_in_code_set",
            "5|admission_date|invalid_date");
        TestQueries.Rows(db, $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Path(layout.QuarantineFile("apc", extract.ExtractId))}))")
            .Should().BeEquivalentTo("extract_id", "feed", "file_name", "source_row", "column_name", "reason");
    }

    [Fact]
    public void Stage_ReplacesIdentity_WithTokens_SameNhsNumberSameToken_InvalidNumberNoToken()
    {
        using var folder = new TempFolder();
        StageSixSpells(folder, out var layout, out var extract);

        using var db = DuckDb.OpenInMemory();
        var staged = Sql.Path(layout.StagedFile("apc", extract.ExtractId));
        var columns = TestQueries.Rows(db, $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({staged}))");
        columns.Should().NotContain(["nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "uprn"]);
        columns.Should().Contain(["person_token", "birth_month", "sex", "lsoa11cd", "household_token"]);

        var tokens = TestQueries.Rows(db, $"SELECT apcs_ident || '|' || coalesce(person_token, 'none') || '|' || birth_month FROM read_parquet({staged}) ORDER BY apcs_ident");
        tokens.Should().HaveCount(3);
        var s1 = tokens[0].Split('|');
        var s2 = tokens[1].Split('|');
        s1[1].Should().NotBe("none").And.Be(s2[1]);
        s1[2].Should().Be("1950-06");
        tokens[2].Should().StartWith("S6|none|1949-01");
    }

    [Fact]
    public void Stage_IsANoOp_WhenTheExtractWasAlreadyStaged()
    {
        using var folder = new TempFolder();
        StageSixSpells(folder, out var layout, out var extract);
        var stagedAt = File.GetLastWriteTimeUtc(layout.StagedFile("apc", extract.ExtractId));

        var again = new ExtractStager(FeedSchemaLoader.LoadAll()).Stage(extract, new StagingOptions(layout, TestKeys.Write(folder)));

        again.Status.Should().Be(StagingReport.AlreadyStaged);
        again.RowsStaged.Should().Be(3);
        File.GetLastWriteTimeUtc(layout.StagedFile("apc", extract.ExtractId)).Should().Be(stagedAt);
    }

    [Fact]
    public void Stage_FailsTheFile_NamingTheMissingRequiredColumns()
    {
        using var folder = new TempFolder();
        var (layout, extract) = Land(folder, ["apcs_ident,provider_code,admission_date", "S1,RVV,2025-04-02"]);

        var report = new ExtractStager(FeedSchemaLoader.LoadAll()).Stage(extract, new StagingOptions(layout, TestKeys.Write(folder)));

        report.Status.Should().Be(StagingReport.Failed);
        report.Error.Should().Contain("apc_RVV_2025-04.csv").And.Contain("admission_method").And.Contain("primary_diagnosis");
    }
}
