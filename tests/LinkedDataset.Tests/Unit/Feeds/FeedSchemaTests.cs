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
            // In CI the committed file is what is checked, never rewritten to match.
            Environment.GetEnvironmentVariable("CI").Should().NotBe("true", "LDP_UPDATE_DATA_DICTIONARY must not be set in CI");
            File.WriteAllText(path, rendered);
        }

        File.Exists(path).Should().BeTrue("schemas/DATA_DICTIONARY.md is generated; run this test with LDP_UPDATE_DATA_DICTIONARY=1");
        FirstDifference(File.ReadAllText(path), rendered).Should().BeNull(
            "the data dictionary is stale (committed vs rendered from schemas/feeds); rerun this test locally with LDP_UPDATE_DATA_DICTIONARY=1 and commit it");
    }

    /// <summary>The first line where two texts differ, as a short diff; null when they are equal.</summary>
    private static string? FirstDifference(string committed, string rendered)
    {
        var a = committed.ReplaceLineEndings("\n").Split('\n');
        var b = rendered.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end of file)";
            var right = i < b.Length ? b[i] : "(end of file)";
            if (left != right)
            {
                return $"line {i + 1}:\n- {left}\n+ {right}";
            }
        }

        return null;
    }
}
