using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Identity;

public class DatasetIdentityTests
{
    [Fact]
    public void FirstRun_RecordsTheKeyId_AndWhetherTheFolderHoldsSyntheticTruth()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        var key = TestKeys.Write(folder, fill: 1);
        Directory.CreateDirectory(Path.Combine(layout.Root, "synthetic-truth"));

        DatasetIdentity.Check(layout, key, developmentKey: false, syntheticEvidence: DatasetIdentity.HasSyntheticTruth(layout));

        DatasetIdentity.Read(layout).Should().Be(new DatasetIdentity(key.KeyId, Synthetic: true));
        File.ReadAllText(layout.IdentityFile).Should().Contain($"key_id: {key.KeyId}\nsynthetic: true\n");
    }

    [Fact]
    public void AnotherKey_IsRefused_WithAMessagePointingAtRekey()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        var built = TestKeys.Write(folder, fill: 1, name: "built.key");
        var other = TestKeys.Write(folder, fill: 2, name: "other.key");
        DatasetIdentity.Check(layout, built, developmentKey: false, syntheticEvidence: true);

        var run = () => DatasetIdentity.Check(layout, other, developmentKey: false, syntheticEvidence: true);

        run.Should().Throw<PipelineException>().WithMessage($"This dataset was built with key id {built.KeyId}, but this run has a different key, key id {other.KeyId}*'ldp rekey --old-key-file OLD --new-key-file NEW'*");
        DatasetIdentity.Read(layout)!.KeyId.Should().Be(built.KeyId, "a refused key changes nothing");
    }

    [Fact]
    public void DevelopmentKey_OnADatasetBuiltWithAnotherKey_IsRefused_EvenWhenSynthetic()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        var built = TestKeys.Write(folder, fill: 1, name: "built.key");
        var development = TestKeys.Write(folder, fill: 3, name: "dev.key");
        DatasetIdentity.Check(layout, built, developmentKey: false, syntheticEvidence: true);

        var run = () => DatasetIdentity.Check(layout, development, developmentKey: true, syntheticEvidence: true);

        run.Should().Throw<PipelineException>().WithMessage("*has the development key (was --key-file or LDP_PSEUDONYM_KEY forgotten?)*ldp rekey*");
    }

    [Fact]
    public void DevelopmentKey_IsRefusedOutright_WhenTheDatasetSaysItIsNotSynthetic_EvenIfItWasBuiltWithIt()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        var development = TestKeys.Write(folder, fill: 3, name: "dev.key");
        new DatasetIdentity(development.KeyId, Synthetic: false).Write(layout);

        var run = () => DatasetIdentity.Check(layout, development, developmentKey: true, syntheticEvidence: true);

        run.Should().Throw<PipelineException>().WithMessage("The development key is for synthetic data only*synthetic: false*");
    }

    [Fact]
    public void DevelopmentKey_OnANewDatasetWithoutSyntheticTruth_IsRefused_AndRecordsNothing()
    {
        using var folder = new TempFolder();
        var layout = new DatasetLayout(folder.Combine("data"));
        var development = TestKeys.Write(folder, fill: 3, name: "dev.key");

        var run = () => DatasetIdentity.Check(layout, development, developmentKey: true, syntheticEvidence: false);

        run.Should().Throw<PipelineException>().WithMessage("The development key is for synthetic data only*");
        File.Exists(layout.IdentityFile).Should().BeFalse("the dataset's key is still to be chosen");
    }
}
