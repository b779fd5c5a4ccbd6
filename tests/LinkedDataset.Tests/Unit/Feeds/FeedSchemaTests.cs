using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using Xunit;

namespace LinkedDataset.Tests.Unit.Feeds;

public sealed class FeedSchemaTests
{
    private static readonly IReadOnlyDictionary<string, FeedSchema> Schemas =
        FeedSchemaLoader.LoadAll(Path.Combine(RepoPaths.Root, "schemas", "feeds"));

    [Fact]
    public void LoadAll_LoadsTenFeeds_EachWithProviderCodeRecordIdAndIdentity()
    {
        Schemas.Keys.Should().BeEquivalentTo(FeedSchemaLoader.FeedNames);
        Schemas.Should().HaveCount(10);
        foreach (var (feed, schema) in Schemas)
        {
            var provider = schema.Column("provider_code");
            provider.Type.Should().Be(ColumnType.String, feed);
            provider.Required.Should().BeTrue(feed);
            schema.Column(schema.RecordId).Required.Should().BeTrue(feed);
            schema.Column("nhs_number").IsIdentity.Should().BeTrue(feed);
        }
    }

    [Fact]
    public void Pmi_DeclaresTheHubColumnsOtherStagesRelyOn()
    {
        var pmi = Schemas["pmi"];
        pmi.RecordId.Should().Be("registration_id");
        pmi.ActivityDate.Should().Be("registration_start_date");
        pmi.EndDate.Should().Be("registration_end_date");
        pmi.Column("deregistration_reason").Type.Should().Be(ColumnType.Code);
        pmi.Column("date_of_death").Type.Should().Be(ColumnType.Date);
    }

    [Fact]
    public void Apc_KeepsSpellColumns_AndCodesEmergencyAndDayCase()
    {
        var apc = Schemas["apc"];
        apc.RecordId.Should().Be("apcs_ident");
        apc.Column("admission_method").Codes!.Keys.Should().Contain(["21", "2A"]);
        apc.Column("patient_classification").Codes!["2"].Should().StartWith("Day case");
        apc.Column("discharge_date").Type.Should().Be(ColumnType.Date);
    }

    [Fact]
    public void DataDictionary_CommittedFile_EqualsTheCurrentRendering()
    {
        var path = Path.Combine(RepoPaths.Root, "schemas", "DATA_DICTIONARY.md");
        var rendered = DataDictionary.Render(Schemas);
        if (Environment.GetEnvironmentVariable("LDP_UPDATE_DATA_DICTIONARY") == "1")
        {
            File.WriteAllText(path, rendered);
        }

        File.Exists(path).Should().BeTrue("schemas/DATA_DICTIONARY.md is generated; run this test with LDP_UPDATE_DATA_DICTIONARY=1");
        File.ReadAllText(path).Should().Be(rendered, "the data dictionary is stale: rerun this test with LDP_UPDATE_DATA_DICTIONARY=1 and commit it");
    }
}
