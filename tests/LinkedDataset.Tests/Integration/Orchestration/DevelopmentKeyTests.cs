using FluentAssertions;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Orchestration;

public class DevelopmentKeyTests
{
    [Fact]
    public void LdpRun_WithNoKeyGiven_OnADatasetMarkedReal_RefusesTheDevelopmentKey_BeforeStagingAnything()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        var development = TestKeys.Write(folder, fill: 5, name: "dev.key");
        new DatasetIdentity(development.KeyId, Synthetic: false).Write(layout);
        Directory.CreateDirectory(layout.LandingFeed("pmi"));
        File.WriteAllText(Path.Combine(layout.LandingFeed("pmi"), "pmi_G82001_2025-04.csv"),
            "registration_id,provider_code,registration_start_date,registration_end_date,deregistration_reason,date_of_death,nhs_number,given_name,family_name,date_of_birth,sex,postcode,uprn\n");

        // No --key-file and no LDP_PSEUDONYM_KEY: ldp falls back to the development key (here, this file).
        var run = LdpProcess.Run(
            new Dictionary<string, string> { ["LDP_DEV_KEY_FILE"] = folder.Combine("dev.key"), ["LDP_PSEUDONYM_KEY"] = "" },
            "run", "--data", layout.Root);

        run.ExitCode.Should().Be(1, run.ToString());
        run.All.Should().Contain("The development key is for synthetic data only").And.Contain("synthetic: false");
        run.All.Should().NotContain("   at ");
        Directory.Exists(layout.Staging).Should().BeFalse("nothing is staged under a refused key");
    }
}
