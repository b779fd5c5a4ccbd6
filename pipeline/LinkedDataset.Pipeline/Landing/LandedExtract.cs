namespace LinkedDataset.Pipeline.Landing;

/// <summary>
/// One file as a provider dropped it. <see cref="ExtractId"/> is a hash of its bytes, so the same
/// bytes delivered again are the same extract.
/// </summary>
public sealed record LandedExtract(string Feed, string Provider, string Period, string Path, string ExtractId) : IDelivery
{
    /// <summary>A short name for messages and logs: the file name, never its contents.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}
