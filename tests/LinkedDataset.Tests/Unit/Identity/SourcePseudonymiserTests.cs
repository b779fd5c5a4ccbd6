using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Identity;

public class SourcePseudonymiserTests
{
    // Three valid spells, worked by hand:
    //  S1 Ann Example, NHS 9434765919 (valid), CT1 1AA (in the lookup), UPRN 100000000001
    //  S2 the same person written differently: spaced NHS number, " ANN ", "EXAMPLE", "ct11aa" → same tokens as S1
    //  S3 Zoë O'Brien-Smyth, NHS 9434765918 (fails Modulus 11 → no person token), ZZ9 9ZZ (not in the lookup → empty LSOA)
    private const string Header = TestQueries.ApcHeader;

    private static readonly string[] Rows =
    [
        "S1,RVV,2025-04-02,2025-04-05,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,100000000001",
        "S2,RVV,2025-04-10,2025-04-10,11,2,K359,100,943 476 5919,\" ANN \",EXAMPLE,1950-06-15,2,ct11aa,100000000001",
        "S3,RVV,2025-04-20,2025-04-22,22,1,J440,300,9434765918,Zoë,O'Brien-Smyth,1949-01-02,1,ZZ9 9ZZ,",
    ];

    private static readonly string[] IdentityColumns = ["nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "uprn"];

    private static string WriteLookup(TempFolder folder)
    {
        var path = folder.Combine("postcode_lsoa.csv");
        File.WriteAllText(path, "postcode,lsoa11cd\nCT1 1AA,E01024001\nME1 1AA,E01024002\n");
        return path;
    }

    private static string Land(DatasetLayout layout, string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(layout.LandingFeed("apc"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static SourcePseudonymiseResult Pseudonymise(TempFolder folder, PseudonymKey key, string input, string output) =>
        new SourcePseudonymiser(FeedSchemaLoader.LoadAll()).Run(new SourcePseudonymiseOptions("apc", input, output, key, WriteLookup(folder)));

    [Fact]
    public void Pseudonymise_WritesNoIdentityColumns_AndTheSameTokensStagingMakes_UnderTheSameKey()
    {
        using var folder = new TempFolder();
        var key = TestKeys.Write(folder);
        var layout = new DatasetLayout(folder.Combine("data"));
        var landed = Land(layout, "apc_RVV_2025-04.csv", [Header, .. Rows]);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.PostcodeLookup)!);
        File.Copy(WriteLookup(folder), layout.PostcodeLookup);
        var output = folder.Combine("apc_pseudonymised.csv");

        var result = Pseudonymise(folder, key, landed, output);
        var report = new ExtractStager(FeedSchemaLoader.LoadAll()).Stage(LandingScanner.Describe("apc", landed), new StagingOptions(layout, key));

        result.Rows.Should().Be(3);
        result.RowsWithPersonToken.Should().Be(2);
        result.RowsWithLsoa.Should().Be(2);
        report.Status.Should().Be(StagingReport.Staged);
        var header = File.ReadLines(output).First().Split(',');
        header.Should().NotContain(IdentityColumns);
        header.Should().EndWith(PseudonymisedForm.Columns);
        File.ReadAllText(output).Should().NotContain("9434765919").And.NotContain("Example").And.NotContain("CT1 1AA").And.NotContain("100000000001");

        var compared = string.Join(" || ', ' || ", PseudonymisedForm.Columns.Where(c => c != "key_id").Select(c => $"coalesce(CAST({c} AS VARCHAR), '-')"));
        using var db = DuckDb.OpenInMemory();
        var fromSource = TestQueries.Rows(db, $"SELECT apcs_ident || ': ' || {compared} FROM read_csv({Sql.Path(output)}, header = true, all_varchar = true) ORDER BY apcs_ident");
        var fromStaging = TestQueries.Rows(db, $"SELECT apcs_ident || ': ' || {compared} FROM read_parquet({Sql.Path(layout.StagedFile("apc", report.ExtractId))}) ORDER BY apcs_ident");
        fromSource.Should().Equal(fromStaging);
        fromSource[0][4..].Should().Be(fromSource[1][4..], "S1 and S2 are the same person written two ways");
        fromSource[0].Should().Contain("1950-06").And.Contain("E01024001");
        TestQueries.Rows(db, $"SELECT coalesce(person_token, '-') || '|' || coalesce(lsoa11cd, '-') || '|' || key_id FROM read_csv({Sql.Path(output)}, header = true, all_varchar = true) WHERE apcs_ident = 'S3'")
            .Should().Equal($"-|-|{key.KeyId}");
    }

    [Fact]
    public void Stage_AcceptsThePseudonymisedOutput_WhenTheFeedIsConfiguredPseudonymised_WithTheSameTokens()
    {
        using var folder = new TempFolder();
        var key = TestKeys.Write(folder);
        var identifiable = new DatasetLayout(folder.Combine("tp"));
        var atSource = new DatasetLayout(folder.Combine("source"));
        var landed = Land(identifiable, "apc_RVV_2025-04.csv", [Header, .. Rows]);
        var pseudonymised = Land(atSource, "apc_RVV_2025-04.csv", []);
        Pseudonymise(folder, key, landed, pseudonymised);
        var stager = new ExtractStager(FeedSchemaLoader.LoadAll());

        var a = stager.Stage(LandingScanner.Describe("apc", landed), new StagingOptions(identifiable, key, Forms: FeedForms.AllIdentifiable));
        var b = stager.Stage(LandingScanner.Describe("apc", pseudonymised), new StagingOptions(atSource, key, Forms: PseudonymisedApc));

        b.Status.Should().Be(StagingReport.Staged, b.Error);
        b.RowsStaged.Should().Be(3);
        b.RowsWithPersonToken.Should().Be(2);
        b.Warnings.Should().BeEmpty();
        var compared = string.Join(" || ', ' || ", PseudonymisedForm.Columns.Where(c => c is not ("key_id" or "lsoa11cd")).Select(c => $"coalesce(CAST({c} AS VARCHAR), '-')"));
        using var db = DuckDb.OpenInMemory();
        TestQueries.Rows(db, $"SELECT apcs_ident || ': ' || {compared} FROM read_parquet({Sql.Path(atSource.StagedFile("apc", b.ExtractId))}) ORDER BY apcs_ident")
            .Should().Equal(TestQueries.Rows(db, $"SELECT apcs_ident || ': ' || {compared} FROM read_parquet({Sql.Path(identifiable.StagedFile("apc", a.ExtractId))}) ORDER BY apcs_ident"));
    }

    [Fact]
    public void Stage_RefusesAnIdentifiableExtract_ForAFeedConfiguredPseudonymised()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Path);
        var landed = Land(layout, "apc_RVV_2025-04.csv", [Header, .. Rows]);

        var report = new ExtractStager(FeedSchemaLoader.LoadAll())
            .Stage(LandingScanner.Describe("apc", landed), new StagingOptions(layout, TestKeys.Write(folder), Forms: PseudonymisedApc));

        report.Status.Should().Be(StagingReport.Failed);
        report.Error.Should().Contain("apc_RVV_2025-04.csv").And.Contain("refused").And.Contain("configured pseudonymised").And.Contain("nhs_number");
        File.Exists(layout.StagedFile("apc", report.ExtractId)).Should().BeFalse();
    }

    [Fact]
    public void Stage_RefusesAPseudonymisedExtract_ForAFeedConfiguredIdentifiable()
    {
        using var folder = new TempFolder();
        var key = TestKeys.Write(folder);
        var layout = new DatasetLayout(folder.Combine("data"));
        var pseudonymised = Land(layout, "apc_RVV_2025-04.csv", []);
        Pseudonymise(folder, key, Land(new DatasetLayout(folder.Combine("source")), "apc_RVV_2025-04.csv", [Header, .. Rows]), pseudonymised);

        var report = new ExtractStager(FeedSchemaLoader.LoadAll())
            .Stage(LandingScanner.Describe("apc", pseudonymised), new StagingOptions(layout, key, Forms: FeedForms.AllIdentifiable));

        report.Status.Should().Be(StagingReport.Failed);
        report.Error.Should().Contain("apc_RVV_2025-04.csv").And.Contain("configured identifiable").And.Contain("person_token");
    }

    [Fact]
    public void Stage_RefusesAPseudonymisedExtract_MadeWithAnotherKey_WithoutKeyMaterialInTheMessage()
    {
        using var folder = new TempFolder();
        var providerKey = TestKeys.Write(folder, fill: 1, name: "provider.key");
        var pipelineKey = TestKeys.Write(folder, fill: 2, name: "pipeline.key");
        var layout = new DatasetLayout(folder.Combine("data"));
        var pseudonymised = Land(layout, "apc_RVV_2025-04.csv", []);
        Pseudonymise(folder, providerKey, Land(new DatasetLayout(folder.Combine("source")), "apc_RVV_2025-04.csv", [Header, .. Rows]), pseudonymised);

        var report = new ExtractStager(FeedSchemaLoader.LoadAll())
            .Stage(LandingScanner.Describe("apc", pseudonymised), new StagingOptions(layout, pipelineKey, Forms: PseudonymisedApc));

        report.Status.Should().Be(StagingReport.Failed);
        report.Error.Should().Contain("apc_RVV_2025-04.csv").And.Contain(providerKey.KeyId).And.Contain(pipelineKey.KeyId);
        foreach (var keyBytes in new[] { Enumerable.Repeat((byte)1, 32).ToArray(), Enumerable.Repeat((byte)2, 32).ToArray() })
        {
            report.Error.Should().NotContainEquivalentOf(Convert.ToHexString(keyBytes)).And.NotContain(Convert.ToBase64String(keyBytes));
        }

        File.ReadAllText(layout.StagingReport("apc", report.ExtractId)).Should().NotContain(Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray()));
    }

    [Fact]
    public void Pseudonymise_RefusesAFileThatIsAlreadyPseudonymised()
    {
        using var folder = new TempFolder();
        var key = TestKeys.Write(folder);
        var layout = new DatasetLayout(folder.Path);
        var once = folder.Combine("once.csv");
        Pseudonymise(folder, key, Land(layout, "apc_RVV_2025-04.csv", [Header, .. Rows]), once);

        var twice = () => Pseudonymise(folder, key, once, folder.Combine("twice.csv"));

        twice.Should().Throw<PipelineException>().WithMessage("*already has pseudonymised column(s) person_token*");
    }

    [Fact]
    public void Pseudonymise_KeepsContentColumnsUnchanged_IncludingQuotedCommas_AndDropsUnknownColumns()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Path);
        var input = Land(layout, "apc_RVV_2025-04.csv", [Header + ",home_address", Rows[0] + ",\"1 High St, Canterbury\"", "S9,RVV,2025-04-02,,21,1,\"I21,4\",300,,,,,,,,"]);
        var output = folder.Combine("out.csv");

        var result = Pseudonymise(folder, TestKeys.Write(folder), input, output);

        result.DroppedColumns.Should().Equal("home_address");
        var lines = File.ReadAllLines(output);
        lines[0].Should().StartWith("apcs_ident,provider_code,admission_date,discharge_date,admission_method,patient_classification,primary_diagnosis,treatment_function_code,person_token,");
        lines[1].Should().StartWith("S1,RVV,2025-04-02,2025-04-05,21,1,I214,300,").And.NotContain("High St");
        lines[2].Should().StartWith("S9,RVV,2025-04-02,,21,1,\"I21,4\",300,,");
    }

    private static FeedForms PseudonymisedApc { get; } = new(FeedForm.Identifiable, new Dictionary<string, FeedForm> { ["apc"] = FeedForm.Pseudonymised });
}
