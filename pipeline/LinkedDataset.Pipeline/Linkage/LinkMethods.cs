using LinkedDataset.Pipeline.Linkage.Probabilistic;

namespace LinkedDataset.Pipeline.Linkage;

/// <summary>
/// What counts as linked. A row is linked when it is linked to a registered person, deterministically
/// (NHS number) or probabilistically; a row given a provisional person carries a person id too, but is
/// counted apart and never in a link rate (otherwise the rate is 100% whatever linkage did).
/// </summary>
public static class LinkMethods
{
    /// <summary>SQL condition, over a table with <c>link_method</c>, of a row linked to a registered person.</summary>
    public const string LinkedCondition = $"link_method IN ('{DeterministicLinker.Deterministic}', '{FellegiSunterLinker.Probabilistic}')";

    /// <summary>SQL condition of a row given a provisional person.</summary>
    public const string ProvisionalCondition = $"link_method = '{FellegiSunterLinker.Provisional}'";
}
