using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Linkage;

namespace LinkedDataset.Pipeline.Publishing;

/// <summary>
/// Rows of one feed and how they were linked. <see cref="Linked"/> counts rows linked to a registered
/// person (deterministically on the NHS number, or probabilistically); rows given a provisional person
/// carry a person id too but are counted apart in <see cref="Provisional"/>, never as linked.
/// </summary>
/// <param name="Rows">Rows of the feed in the snapshot.</param>
/// <param name="Linked">Rows linked to a registered person.</param>
/// <param name="Provisional">Rows given a provisional person.</param>
public sealed record LinkRate(long Rows, long Linked, long Provisional = 0)
{
    /// <summary>Linked rows over rows (0 for an empty feed).</summary>
    public double Rate => Rows == 0 ? 0 : (double)Linked / Rows;

    /// <summary>Provisional rows over rows (0 for an empty feed).</summary>
    public double ProvisionalRate => Rows == 0 ? 0 : (double)Provisional / Rows;

    /// <summary>The figures of a linked table (columns <c>link_method</c>, …) in <paramref name="db"/>.</summary>
    public static LinkRate Of(DuckDBConnection db, string table) =>
        db.QuerySingle<LinkRate>(
            $"SELECT count(*)::BIGINT AS Rows, (count(*) FILTER ({LinkMethods.LinkedCondition}))::BIGINT AS Linked, (count(*) FILTER ({LinkMethods.ProvisionalCondition}))::BIGINT AS Provisional FROM {table}");
}
