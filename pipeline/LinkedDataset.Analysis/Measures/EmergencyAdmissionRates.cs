using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Measures;

/// <summary>One cell before disclosure control: never printed or written as it is.</summary>
public sealed record AdmissionRateCell(string AgeBand, string ImdQuintile, long Admissions, long Population);

/// <summary>The released answer: every cell has passed disclosure control.</summary>
public sealed record EmergencyAdmissionAnswer(
    string SnapshotId, DateOnly WindowStart, DateOnly WindowEnd, IReadOnlyList<ProtectedRate> Cells, string Policy);

/// <summary>
/// Emergency admissions per 1,000 population by age band and IMD 2019 quintile over the last 12
/// months of the dataset.
/// <list type="bullet">
/// <item>Window: the 12 calendar months ending with the latest month that has admitted care activity.</item>
/// <item>Population: people with a GP registration covering the window's first day who had not died before it.</item>
/// <item>Age: at the window's first day, from birth month (taken as born on the 1st).</item>
/// <item>Emergency admission: an APC spell with admission method 2x, admitted within the window, of a person in the population.</item>
/// <item>IMD quintile: 1 = most deprived fifth of LSOAs in England (deciles 1–2).</item>
/// </list>
/// </summary>
public static class EmergencyAdmissionRates
{
    /// <summary>Age bands, lower bound inclusive.</summary>
    public static readonly IReadOnlyList<(int From, string Label)> AgeBands =
        [(0, "0-17"), (18, "18-44"), (45, "45-64"), (65, "65-74"), (75, "75-84"), (85, "85+")];

    public static EmergencyAdmissionAnswer Compute(DatasetLayout layout, SdcPolicy policy, string? snapshotId = null, DuckDbLimits? limits = null)
    {
        using var db = DuckDb.OpenInMemory(limits);
        var opened = SnapshotReader.CreateViews(db, layout, snapshotId);
        var (start, end) = Window(db);
        var cells = Cells(db, start, end);
        var released = DisclosureControl.ProtectRates(
            cells.Select(c => new RateCell([c.AgeBand, c.ImdQuintile], c.Admissions, c.Population)), policy, per: 1000);
        return new EmergencyAdmissionAnswer(opened, start, end, released, policy.Describe());
    }

    /// <summary>The 12 months ending with the latest month of admitted care activity.</summary>
    public static (DateOnly Start, DateOnly End) Window(DuckDBConnection db)
    {
        var latest = db.ExecuteScalar<DateTime?>("SELECT CAST(date_trunc('month', max(admission_date)) AS TIMESTAMP) FROM apc")
            ?? throw new PipelineException("The snapshot holds no admitted care (apc) activity, so there is no last 12 months to measure. Check the apc extracts staged (ldp dq).");
        var end = DateOnly.FromDateTime(latest).AddMonths(1).AddDays(-1);
        return (DateOnly.FromDateTime(latest).AddMonths(-11), end);
    }

    /// <summary>Unprotected counts per cell; only for disclosure control and tests.</summary>
    public static IReadOnlyList<AdmissionRateCell> Cells(DuckDBConnection db, DateOnly start, DateOnly end)
    {
        var bands = string.Join(" ", AgeBands.Reverse().Select(b => $"WHEN age >= {b.From} THEN '{b.Label}'"));
        var sql = $"""
            WITH population AS (
              SELECT p.person_id,
                     CASE {bands} END AS age_band,
                     coalesce(CAST(p.imd_quintile AS VARCHAR), 'unknown') AS imd_quintile
              FROM (
                SELECT person_id, imd_quintile,
                       floor(((year($start) * 12 + month($start)) - (CAST(left(birth_month, 4) AS INTEGER) * 12 + CAST(right(birth_month, 2) AS INTEGER))) / 12) AS age
                FROM person
                WHERE person_id IN (
                  SELECT person_id FROM registration
                  WHERE registration_start_date <= $start AND (registration_end_date IS NULL OR registration_end_date >= $start))
                  AND (date_of_death IS NULL OR date_of_death >= $start)
                  AND birth_month IS NOT NULL
              ) p
            ), admissions AS (
              SELECT person_id, count(*) AS n FROM apc
              WHERE admission_method LIKE '2%' AND admission_date BETWEEN $start AND $end AND person_id IS NOT NULL
              GROUP BY person_id
            )
            SELECT age_band AS AgeBand, imd_quintile AS ImdQuintile,
                   CAST(coalesce(sum(a.n), 0) AS BIGINT) AS Admissions, CAST(count(*) AS BIGINT) AS Population
            FROM population LEFT JOIN admissions a USING (person_id)
            GROUP BY ALL ORDER BY ALL
            """;
        var order = AgeBands.Select((b, i) => (b.Label, i)).ToDictionary(x => x.Label, x => x.i);
        return db.Query<AdmissionRateCell>(sql, new { start = start.ToDateTime(TimeOnly.MinValue), end = end.ToDateTime(TimeOnly.MinValue) })
            .OrderBy(c => order[c.AgeBand]).ThenBy(c => c.ImdQuintile, StringComparer.Ordinal).ToList();
    }
}
