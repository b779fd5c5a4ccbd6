using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Staging;

/// <summary>
/// Schema limits and the provider check as row-level quarantine reasons, each on a hand-made APC
/// extract <c>apc_RVV_2025-04.csv</c> of two spells: S1 valid, S2 carrying the fault under test.
/// </summary>
public sealed class InputSanityTests : IDisposable
{
    private const string Header = TestQueries.ApcHeader + ",length_of_stay,spell_tariff";
    private const string Identity = "9434765919,Ann,Example,1950-06-15,2,CT1 1AA,";
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Spell(string id, string provider = "RVV", string diagnosis = "I214", string lengthOfStay = "3", string tariff = "1234.50") =>
        $"{id},{provider},2025-04-02,2025-04-05,21,1,{diagnosis},300,{Identity},{lengthOfStay},{tariff}";

    private (StagingReport Report, List<string> Quarantine, long Staged) Stage(string faulty)
    {
        var layout = new DatasetLayout(folder.Path);
        var path = Path.Combine(layout.LandingFeed("apc"), "apc_RVV_2025-04.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", Header, Spell("S1"), faulty) + "\n");
        var extract = LandingScanner.Describe("apc", path);
        var report = new ExtractStager(FeedSchemaLoader.LoadAll()).Stage(extract, new StagingOptions(layout, TestKeys.Write(folder), Forms: FeedForms.AllIdentifiable));
        using var db = DuckDb.OpenInMemory();
        var quarantine = TestQueries.Rows(db, $"SELECT source_row, column_name, reason FROM read_parquet({Sql.Path(layout.QuarantineFile("apc", extract.ExtractId))})");
        var staged = DuckDb.Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Sql.Path(layout.StagedFile("apc", extract.ExtractId))}) WHERE apcs_ident = 'S1'");
        return (report, quarantine, staged);
    }

    public static TheoryData<string, string> Faults => new()
    {
        // A negative tariff (−5,000) would reach costed_activity as a saving.
        { Spell("S2", tariff: "-5000"), "2|spell_tariff|out_of_range" },
        // A negative length of stay.
        { Spell("S2", lengthOfStay: "-3"), "2|length_of_stay|out_of_range" },
        // A 50,000-character diagnosis (the schema allows 6).
        { Spell("S2", diagnosis: new string('X', 50_000)), "2|primary_diagnosis|too_long" },
        // A row naming provider RWF in RVV's file.
        { Spell("S2", provider: "RWF"), "2|provider_code|provider_mismatch" },
        // Type checks come first: a length of stay that is not a number is invalid, not out of range.
        { Spell("S2", lengthOfStay: "minus three"), "2|length_of_stay|invalid_integer" },
        // The first failing column in schema order wins: primary_diagnosis comes before spell_tariff.
        { Spell("S2", diagnosis: "I2141234", tariff: "-1"), "2|primary_diagnosis|too_long" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Stage_QuarantinesTheFaultyRow_WithItsReason_AndStagesTheRest(string faulty, string expected)
    {
        var (report, quarantine, staged) = Stage(faulty);

        report.Status.Should().Be(StagingReport.Staged, report.Error);
        (report.RowsRead, report.RowsStaged, report.RowsQuarantined).Should().Be((2, 1, 1));
        quarantine.Should().Equal(expected);
        staged.Should().Be(1, "S1 is valid");
    }

    [Fact]
    public void Stage_AcceptsTheLimitsThemselves_ZeroTariffZeroStayAndAMaximumLengthDiagnosis()
    {
        var (report, quarantine, _) = Stage(Spell("S2", diagnosis: "I21.4X", lengthOfStay: "0", tariff: "0"));

        quarantine.Should().BeEmpty();
        report.RowsStaged.Should().Be(2);
    }

    [Fact]
    public void Schema_RefusesALimitOnTheWrongKindOfColumn()
    {
        var schemas = Directory.CreateDirectory(folder.Combine("schemas")).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "schemas", "feeds")))
        {
            File.Copy(file, Path.Combine(schemas, Path.GetFileName(file)));
        }

        var apc = Path.Combine(schemas, "apc.yaml");
        File.WriteAllText(apc, File.ReadAllText(apc).Replace("    type: date\n    required: true\n    description: Start date", "    type: date\n    min: 0\n    required: true\n    description: Start date"));

        FluentActions.Invoking(() => FeedSchemaLoader.LoadAll(schemas)).Should().Throw<PipelineSchemaException>()
            .WithMessage("*apc.yaml: column 'admission_date' has min/max but is of type date*");
    }
}
