namespace LinkedDataset.Tests.Integration;

/// <summary>Test classes in this collection share one end-to-end run.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "end-to-end run";
}
