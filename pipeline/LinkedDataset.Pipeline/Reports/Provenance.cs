using System.Reflection;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>One input a report was made from: a reference or codelist version, a file hash, a seed.</summary>
/// <param name="Name">What the input is, e.g. <c>codelist ltc</c> or <c>seed</c>.</param>
/// <param name="Value">Its version, hash or value.</param>
public sealed record ProvenanceInput(string Name, string Value);

/// <summary>
/// Where a report's figures came from, printed as a block at the foot of every report so a reader
/// can tell which snapshot, code and reference data made it and what disclosure control it had.
/// </summary>
/// <param name="SnapshotId">The snapshot the figures were computed from.</param>
/// <param name="CodeVersion">The pipeline's informational version (with the commit when built from git).</param>
/// <param name="Inputs">Reference and codelist versions, file hashes, seeds.</param>
/// <param name="DisclosurePolicy">The disclosure control applied, or why none was (operational reports).</param>
/// <param name="GeneratedUtc">When the report was generated.</param>
public sealed record Provenance(
    string SnapshotId,
    string CodeVersion,
    IReadOnlyList<ProvenanceInput> Inputs,
    string DisclosurePolicy,
    DateTimeOffset GeneratedUtc)
{
    /// <summary>What operational reports for the data manager say instead of a release policy.</summary>
    public const string OperationalNotForRelease =
        "none: operational report for the data manager inside the secure environment; counts are not disclosure-controlled; not for release";

    /// <summary>The version of the running pipeline code (assembly informational version).</summary>
    public static string CurrentCodeVersion =>
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>
    /// Provenance for a report on <paramref name="snapshotId"/> generated now: the current code
    /// version, the shipped codelist versions (<see cref="ReferenceVersions"/>), then
    /// <paramref name="inputs"/>.
    /// </summary>
    public static Provenance For(string snapshotId, string disclosurePolicy, TimeProvider? clock = null, params IEnumerable<ProvenanceInput> inputs) =>
        new(snapshotId, CurrentCodeVersion, [.. ReferenceVersions(), .. inputs], disclosurePolicy, (clock ?? TimeProvider.System).GetUtcNow());

    /// <summary>
    /// The version of each codelist shipped under <c>schemas/reference/codelists/&lt;name&gt;/VERSION</c>,
    /// as inputs named <c>codelist &lt;name&gt;</c>, in name order. Empty when none ship.
    /// </summary>
    public static IReadOnlyList<ProvenanceInput> ReferenceVersions(string? referenceRoot = null)
    {
        var codelists = Path.Combine(referenceRoot ?? ProjectPaths.Reference, "codelists");
        if (!Directory.Exists(codelists))
        {
            return [];
        }

        return Directory.GetDirectories(codelists)
            .Where(d => File.Exists(Path.Combine(d, "VERSION")))
            .Order(StringComparer.Ordinal)
            .Select(d => new ProvenanceInput("codelist " + Path.GetFileName(d), File.ReadAllText(Path.Combine(d, "VERSION")).Trim()))
            .ToList();
    }
}
