// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>A released attrition row: counts protected; excluded = protected count of those removed at this step.</summary>
public sealed record ReleasedAttrition(int Step, string Rule, string Kind, long? People, long? PeopleExcluded, long? Events, long? EventsExcluded, long? PeoplePassingAlone);

/// <summary>A released Table 1 row: people with a characteristic's level (protected, with secondary suppression within the characteristic) and its share.</summary>
public sealed record Table1Row(string Characteristic, string Level, long? People, double? Percent);

/// <summary>Released activity and cost by setting over follow-up (or the file's cost window).</summary>
public sealed record SettingCostRow(string Setting, long? People, long? Events, long? CostThousands, double? CostPerPerson);

/// <summary>Every aggregate of a cohort, after disclosure control.</summary>
public sealed record CohortAggregates(IReadOnlyList<ReleasedAttrition> Attrition, IReadOnlyList<Table1Row> Table1, IReadOnlyList<SettingCostRow> Costs, long? People, string CostPeriod);

/// <summary>
/// The aggregate report of a built cohort, every figure through <see cref="DisclosureControl"/>: attrition by
/// person and by event, Table 1 (characteristics at the index date), and activity and cost by setting.
/// </summary>
public static class CohortReport
{
    private static readonly (string Name, string Sql)[] Characteristics =
    [
        ("age band", "e.age_band"),
        ("sex", "CASE p.sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'other / not known' END"),
        ("IMD quintile (1 = most deprived)", "coalesce(CAST(p.imd_quintile AS VARCHAR), 'unknown')"),
        ("district", "coalesce(p.district, 'unknown')"),
        ("eFI category", "coalesce(y.efi_category, 'unknown')"),
        ("long-term conditions", "CASE WHEN y.ltc_count IS NULL THEN 'unknown' WHEN y.ltc_count >= 3 THEN '3+' ELSE CAST(y.ltc_count AS VARCHAR) END"),
        ("Charlson index", "CASE WHEN y.charlson_index IS NULL THEN 'unknown' WHEN y.charlson_index >= 3 THEN '3+' ELSE CAST(y.charlson_index AS VARCHAR) END"),
        ("Bridges to Health segment", "coalesce(y.segment, 'unknown')"),
        ("lives alone", "CASE WHEN y.lives_alone IS NULL THEN 'unknown' WHEN y.lives_alone THEN 'yes' ELSE 'no' END"),
        ("long-term social care", "CASE WHEN y.long_term_social_care THEN 'yes' ELSE 'no' END"),
        ("telecare user", "CASE WHEN y.telecare_user THEN 'yes' ELSE 'no' END"),
    ];

    /// <summary>Computes the released aggregates from <c>ch_*</c> tables left by <see cref="CohortBuilder.Build"/>.</summary>
    public static CohortAggregates Compute(DuckDBConnection db, CohortDefinition definition, CohortBuild build, SdcPolicy policy)
    {
        var attrition = new List<ReleasedAttrition>();
        AttritionRow? previous = null;
        foreach (var row in build.Attrition)
        {
            attrition.Add(new ReleasedAttrition(
                row.Step, row.Rule, row.Step == 0 ? "population" : row.Exclude ? "exclude" : "include",
                DisclosureControl.ProtectCount(row.People, policy), previous is null ? null : DisclosureControl.ProtectCount(previous.People - row.People, policy),
                DisclosureControl.ProtectCount(row.Events, policy), previous is null ? null : DisclosureControl.ProtectCount(previous.Events - row.Events, policy),
                DisclosureControl.ProtectCount(row.PeoplePassingAlone, policy)));
            previous = row;
        }

        var table1 = new List<Table1Row>();
        foreach (var (name, sql) in Characteristics)
        {
            var counts = db.Query<(string Level, long People)>($"""
                SELECT CAST({sql} AS VARCHAR) AS level, count(*) AS people
                FROM ch_chosen e JOIN person p ON p.person_id = e.person_id
                LEFT JOIN person_year y ON y.person_id = e.person_id AND y.fin_year = e.fin_year
                GROUP BY ALL ORDER BY level
                """).ToList();
            if (counts.Count == 0)
            {
                continue;
            }

            var table = DisclosureControl.ProtectTable(CountTable.FromRows(counts.Select(c => c.Level ?? "unknown").ToList(), ["people"], counts.Select(c => new[] { c.People }).ToArray()), policy);
            var total = table.ColumnTotals[0].Value;
            for (var r = 0; r < table.Rows; r++)
            {
                var people = table[r, 0];
                table1.Add(new Table1Row(name, table.RowLabels[r], people, people is { } n && total is > 0 ? 100.0 * n / total.Value : null));
            }
        }

        var period = definition.CostWindow is { } w ? $"{w} relative to the index date" : "index date to exit";
        var window = definition.CostWindow is { } cw
            ? CriterionSql.InWindow("a.start_date", "e.index_date", cw)
            : "a.start_date >= e.index_date AND a.start_date <= c.exit_date";
        var costs = db.Query<(string Setting, long People, long Events, double Cost)>($"""
            SELECT a.setting, count(DISTINCT a.person_id) AS people, count(*) AS events, sum(a.cost) AS cost
            FROM ch_chosen e JOIN ch_cohort c ON c.person_id = e.person_id
            JOIN costed_activity a ON a.person_id = e.person_id AND {window}
            GROUP BY a.setting ORDER BY a.setting
            """).ToDictionary(r => r.Setting);
        var costRows = CriterionParser.Settings.Select(s =>
        {
            costs.TryGetValue(s, out var r);
            var people = DisclosureControl.ProtectCount(r.People, policy);
            var released = people is > 0;
            return new SettingCostRow(s, people, DisclosureControl.ProtectCount(r.Events, policy),
                released ? (long)Math.Round(r.Cost / 1000) : people == 0 ? 0 : null, released ? Math.Round(r.Cost / people!.Value) : null);
        }).ToList();
        return new CohortAggregates(attrition, table1, costRows, DisclosureControl.ProtectCount(build.People, policy), period);
    }
}
