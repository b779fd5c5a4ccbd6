using LinkedDataset.Pipeline.Identity;

namespace LinkedDataset.Tests.Support;

/// <summary>Pseudonymisation keys for tests: fixed bytes, written to a file in the test's folder.</summary>
public static class TestKeys
{
    public static PseudonymKey Write(TempFolder folder, byte fill = 7, string name = "test.key")
    {
        var path = folder.Combine(name);
        File.WriteAllBytes(path, Enumerable.Repeat(fill, 32).ToArray());
        return PseudonymKey.FromFile(path);
    }
}
