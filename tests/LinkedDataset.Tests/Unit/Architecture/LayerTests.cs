using FluentAssertions;
using LinkedDataset.Pipeline.Publishing;

namespace LinkedDataset.Tests.Unit.Architecture;

/// <summary>
/// The folders of <c>LinkedDataset.Pipeline</c> depend one way, as the README's layout table draws
/// them: a folder may use folders on its own level or below, never above. Dependencies are read
/// from the compiled assembly (<see cref="TypeDependencies"/>), so a fully qualified name or a call
/// inside a method body counts as much as a using line.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The intended order, bottom (0) to top. Folders on one level may use each other.</summary>
    private static readonly IReadOnlyDictionary<string, int> Levels = new Dictionary<string, int>
    {
        ["Common"] = 0,
        ["Disclosure"] = 0,
        ["Storage"] = 1,
        ["Reports"] = 1,
        ["Feeds"] = 2,
        ["Identity"] = 3,
        ["Landing"] = 4,
        ["Staging"] = 5,
        ["Linkage"] = 6,
        ["Publishing"] = 7,
        ["Marts"] = 8,
        ["Quality"] = 9,
        ["Governance"] = 9,
        ["Orchestration"] = 9,
    };

    private const string Root = "LinkedDataset.Pipeline.";

    private static readonly Lazy<IReadOnlyList<TypeDependency>> Pipeline =
        new(() => TypeDependencies.Of(typeof(SnapshotPublisher).Assembly.Location));

    [Fact]
    public void EveryFolder_DependsOnlyOnFoldersOnItsLevelOrBelow()
    {
        var upward = Pipeline.Value
            .Where(d => Level(d.FromNamespace) < Level(d.ToNamespace))
            .Select(d => $"{Folder(d.FromNamespace)} → {Folder(d.ToNamespace)}: {d.From} uses {d.To}")
            .Order(StringComparer.Ordinal)
            .ToList();

        upward.Should().BeEmpty("a folder must not use one above it (README, Layout); move the shared type down or the caller up");
    }

    [Fact]
    public void EveryFolder_HasALevel()
    {
        var folders = typeof(SnapshotPublisher).Assembly.GetTypes()
            .Select(t => t.Namespace).OfType<string>().Where(n => n.StartsWith(Root, StringComparison.Ordinal))
            .Select(Folder).Distinct();

        folders.Should().OnlyContain(f => Levels.ContainsKey(f), "a new folder of LinkedDataset.Pipeline needs its place in the layer order (this test and the README's layout table)");
    }

    [Fact]
    public void DependencyReader_SeesCallsInsideMethodBodies()
    {
        // SnapshotPublisher calls DeterministicLinker's static methods only inside Publish, and Staging's
        // StagingReport implements Landing's IDelivery: a reader of using lines or signatures alone
        // would miss the first, and the layer check would pass whatever the code did.
        Pipeline.Value.Should().Contain(d => d.From == "LinkedDataset.Pipeline.Publishing.SnapshotPublisher" && d.To == "LinkedDataset.Pipeline.Linkage.DeterministicLinker");
        Pipeline.Value.Should().Contain(d => d.From == "LinkedDataset.Pipeline.Staging.StagingReport" && d.To == "LinkedDataset.Pipeline.Landing.IDelivery");
    }

    private static string Folder(string ns) => ns[Root.Length..].Split('.')[0];

    private static int Level(string ns) => ns.StartsWith(Root, StringComparison.Ordinal) && Levels.TryGetValue(Folder(ns), out var level) ? level : -1;
}
