using Dapper;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Measures;

/// <summary>One financial year's concentration of cost, after disclosure control.</summary>
/// <param name="FinancialYear">e.g. 2024/25.</param>
/// <param name="Complete">Whether the snapshot covers the whole year.</param>
/// <param name="People">People in person_year that year, protected.</param>
/// <param name="TopPeople">People in the top share by total cost, protected.</param>
/// <param name="TotalCostThousands">Total cost of all people, £ thousands: the sum of the top people's and the other people's costs, each rounded to <see cref="CostConcentration.MoneyBase"/>.</param>
/// <param name="TopShare">Share of the total used by the top people, from the rounded parts (0–1); null when the rounded total is 0.</param>
public sealed record CostShareRow(string FinancialYear, bool Complete, long? People, long? TopPeople, long TotalCostThousands, double? TopShare);

/// <summary>The released answer.</summary>
public sealed record CostShareAnswer(string SnapshotId, double TopFraction, IReadOnlyList<CostShareRow> Years, string Policy);

/// <summary>
/// Share of total cost (person_year.total_cost, all settings) used by the costliest
/// <c>TopFraction</c> of people in each financial year: people ranked by total cost, the top
/// ceil(fraction × people) taken (ties broken by person id).
/// </summary>
public static class CostConcentration
{
    /// <summary>
    /// Money is released rounded to the nearest £100,000 (the top people's cost and the others' cost
    /// each; the total is their sum), so adding or removing one person moves a released total by
    /// nothing or by one whole step, never by that person's cost.
    /// </summary>
    public const long MoneyBase = 100_000;

    /// <summary>What the money rounding adds to the disclosure policy's description.</summary>
    public static readonly string MoneyPolicy = $"money rounded to the nearest £{MoneyBase:N0} (top and other people separately; total and share from the rounded parts)";

    /// <summary>One year as measured, before disclosure control.</summary>
    public sealed record Row(string FinYearLabel, bool YearComplete, long People, long TopPeople, double TotalCost, double TopCost);

    public static CostShareAnswer Compute(DatasetLayout layout, SdcPolicy policy, double topFraction = 0.05, string? snapshotId = null, DuckDbLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(topFraction, 1);
        using var db = DuckDb.OpenInMemory(limits);
        var opened = MartsReader.CreateViews(db, layout, snapshotId);
        var rows = db.Query<Row>("""
            WITH ranked AS (
              SELECT fin_year, fin_year_label, year_complete, total_cost,
                     row_number() OVER (PARTITION BY fin_year ORDER BY total_cost DESC, person_id) AS rn,
                     count(*) OVER (PARTITION BY fin_year) AS n
              FROM person_year
            )
            SELECT fin_year_label AS FinYearLabel, any_value(year_complete) AS YearComplete, CAST(any_value(n) AS BIGINT) AS People,
                   CAST(count(*) FILTER (rn <= ceil($f * n)) AS BIGINT) AS TopPeople,
                   sum(total_cost) AS TotalCost, coalesce(sum(total_cost) FILTER (rn <= ceil($f * n)), 0) AS TopCost
            FROM ranked GROUP BY fin_year, fin_year_label ORDER BY fin_year
            """, new { f = topFraction }).ToList();
        return new CostShareAnswer(opened, topFraction, rows.Select(r => Release(r, policy)).ToList(), policy.Describe() + "; " + MoneyPolicy);
    }

    /// <summary>Disclosure control of one year: people counts by the policy, money rounded to <see cref="MoneyBase"/>.</summary>
    public static CostShareRow Release(Row r, SdcPolicy policy)
    {
        var top = RoundMoney(r.TopCost);
        var total = top + RoundMoney(r.TotalCost - r.TopCost);
        return new CostShareRow(
            r.FinYearLabel, r.YearComplete, DisclosureControl.ProtectCount(r.People, policy), DisclosureControl.ProtectCount(r.TopPeople, policy),
            total / 1000, total > 0 ? (double)top / total : null);
    }

    private static long RoundMoney(double pounds) => (long)Math.Round(Math.Max(0, pounds) / MoneyBase, MidpointRounding.AwayFromZero) * MoneyBase;
}
