// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;
using MathNet.Numerics.Distributions;

namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// One baseline cell: age band × sex × split value, with its person-years, people, and activity and cost
/// per setting (in <see cref="DemandSetting.All"/> order) as observed, and the rates the model uses after pooling:
/// <c>PooledTo</c> is the level the rates come from (<c>cell</c>, <c>age_band_sex</c>, <c>age_band</c> or <c>all</c>).
/// </summary>
public sealed record BaselineCell(
    string AgeBand, string Sex, string Segment, double PersonYears, long People,
    IReadOnlyList<double> Activity, IReadOnlyList<double> Cost, string PooledTo,
    IReadOnlyList<double> Rate, IReadOnlyList<double> RateLow, IReadOnlyList<double> RateHigh, IReadOnlyList<double> UnitCost)
{
    /// <summary>Share of the age band × sex's person-years in this cell's split value (1 when not split).</summary>
    public double ShareOfAgeSex { get; init; } = 1;
}

/// <summary>
/// The baseline: rates per person-year by cell, from the last complete financial year(s) of <c>person_year</c>.
/// <c>BaseYear</c> is the last year used (the projections start from it); <c>ExcludedPersonYears</c> are those
/// left out (sex not recorded as male or female, or age unknown); <c>PriceYear</c> is the costs' (the marts').
/// </summary>
public sealed record Baseline(int BaseYear, IReadOnlyList<int> Years, BaselineSplit Split, double PoolBelowPersonYears,
    IReadOnlyList<BaselineCell> Cells, double ExcludedPersonYears, string PriceYear)
{
    /// <summary>The pooling rule, in one sentence for reports.</summary>
    public string PoolingRule =>
        $"a cell with fewer than {PoolBelowPersonYears.ToString("N0", CultureInfo.InvariantCulture)} person-years takes its rates from the first of these with at least that many: " +
        (Split == BaselineSplit.None ? "" : "its age band × sex (all split values), ") + "its age band (both sexes), all ages";
}

/// <summary>
/// Computes the baseline from <c>person_year</c> on a sandboxed connection. Exposure is months registered / 12;
/// activity and cost are the person-year's; rates have exact Poisson 95 % intervals (gamma form, so weeks of
/// care, which are not whole numbers, get one too).
/// </summary>
public static class DemandBaseline
{
    /// <summary>Ages run 0-4 … 85+ as in the marts.</summary>
    public static IReadOnlyList<string> AgeBands { get; } = Segments.AgeBands.Select(b => b.Label).ToList();

    /// <summary>Reads the baseline cells from the <c>person_year</c> view of <paramref name="db"/>.</summary>
    /// <exception cref="PipelineException">person_year has fewer complete financial years than asked for.</exception>
    public static Baseline Compute(DuckDBConnection db, BaselineSpec spec, MartReference reference, string priceYear)
    {
        var complete = db.Query<int>("SELECT DISTINCT fin_year FROM person_year WHERE year_complete ORDER BY fin_year DESC").ToList();
        if (complete.Count < spec.Years)
        {
            throw new PipelineException(
                $"The baseline asks for the last {spec.Years} complete financial year(s) but person_year has {complete.Count}" +
                (complete.Count > 0 ? $" ({string.Join(", ", complete.Order().Select(FinancialYear.Label))})" : "") + ". Use fewer baseline years, or a snapshot covering more months.");
        }

        var years = complete.Take(spec.Years).Order().ToList();
        var settings = DemandSetting.All;
        var columns = string.Join(",\n  ", settings.SelectMany((s, i) => new[]
        {
            $"CAST(coalesce(sum({s.ActivitySql}), 0) AS DOUBLE) AS a{i}",
            $"CAST(coalesce(sum({CostSql(s, reference)}), 0) AS DOUBLE) AS c{i}",
        }));
        var inYears = string.Join(", ", years.Select(y => y.ToString(CultureInfo.InvariantCulture)));
        var sql = $"""
            SELECT age_band, CASE sex WHEN '1' THEN 'male' ELSE 'female' END AS sex, {SplitSql(spec.Split)} AS segment,
              CAST(sum(months_registered) / 12.0 AS DOUBLE) AS person_years, CAST(count(DISTINCT person_id) AS BIGINT) AS people,
              {columns}
            FROM person_year
            WHERE fin_year IN ({inYears}) AND sex IN ('1', '2') AND age_band IS NOT NULL
            GROUP BY ALL ORDER BY ALL
            """;
        // The settings are data, so each row's a0, c0, a1, c1, … columns are read by name from Dapper's dynamic rows.
        var raw = db.Query(sql).Cast<IDictionary<string, object>>().Select(r =>
        (
            Band: (string)r["age_band"], Sex: (string)r["sex"], Segment: (string)r["segment"], Py: (double)r["person_years"], People: (long)r["people"],
            A: settings.Select((_, i) => (double)r[$"a{i}"]).ToArray(), C: settings.Select((_, i) => (double)r[$"c{i}"]).ToArray())).ToList();

        var excluded = db.ExecuteScalar<double>(
            $"SELECT coalesce(sum(months_registered), 0) / 12.0 FROM person_year WHERE fin_year IN ({inYears}) AND (sex NOT IN ('1', '2') OR sex IS NULL OR age_band IS NULL)");
        var cells = Pool(raw.Select(r => new RawCell(r.Band, r.Sex, r.Segment, r.Py, r.People, r.A, r.C)).ToList(), spec);
        return new Baseline(years[^1], years, spec.Split, spec.PoolBelowPersonYears, cells, excluded, priceYear);
    }

    /// <summary>Observed totals of one cell, before pooling.</summary>
    public sealed record RawCell(string AgeBand, string Sex, string Segment, double PersonYears, long People, double[] Activity, double[] Cost);

    /// <summary>
    /// Applies the pooling rule and computes rates, intervals and unit costs. Public so the rule can be tested on
    /// hand-made cells. A unit cost is cost ÷ activity at the level used, or, when that level has no activity,
    /// at the first level above with some (so activity moved into a cell that had none is still costed).
    /// </summary>
    public static IReadOnlyList<BaselineCell> Pool(IReadOnlyList<RawCell> raw, BaselineSpec spec)
    {
        var n = DemandSetting.All.Count;
        (double Py, double[] A, double[] C) Sum(IEnumerable<RawCell> cells)
        {
            var a = new double[n];
            var c = new double[n];
            var py = 0.0;
            foreach (var cell in cells)
            {
                py += cell.PersonYears;
                for (var i = 0; i < n; i++)
                {
                    a[i] += cell.Activity[i];
                    c[i] += cell.Cost[i];
                }
            }

            return (py, a, c);
        }

        var all = Sum(raw);
        var result = new List<BaselineCell>();
        foreach (var cell in raw)
        {
            var ageSex = Sum(raw.Where(r => r.AgeBand == cell.AgeBand && r.Sex == cell.Sex));
            var levels = new List<(string Name, (double Py, double[] A, double[] C) Totals)>
            {
                ("cell", (cell.PersonYears, cell.Activity, cell.Cost)),
            };
            if (spec.Split != BaselineSplit.None)
            {
                levels.Add(("age_band_sex", ageSex));
            }

            levels.Add(("age_band", Sum(raw.Where(r => r.AgeBand == cell.AgeBand))));
            levels.Add(("all", all));
            var used = levels.FindIndex(l => l.Totals.Py >= spec.PoolBelowPersonYears);
            used = used < 0 ? levels.Count - 1 : used;
            var (name, (py, activity, _)) = levels[used];
            var rate = new double[n];
            var low = new double[n];
            var high = new double[n];
            var unit = new double[n];
            for (var i = 0; i < n; i++)
            {
                rate[i] = py > 0 ? activity[i] / py : 0;
                (low[i], high[i]) = PoissonInterval(activity[i], py);
                var costed = levels.Skip(used).FirstOrDefault(l => l.Totals.A[i] > 0);
                unit[i] = costed.Totals.A is { } a && a[i] > 0 ? costed.Totals.C[i] / a[i] : 0;
            }

            result.Add(new BaselineCell(cell.AgeBand, cell.Sex, cell.Segment, cell.PersonYears, cell.People, cell.Activity, cell.Cost, name, rate, low, high, unit)
            {
                ShareOfAgeSex = ageSex.Py > 0 ? cell.PersonYears / ageSex.Py : 0,
            });
        }

        return result;
    }

    /// <summary>Exact (Garwood) 95 % interval of a Poisson rate: count <paramref name="events"/> over <paramref name="exposure"/>.</summary>
    public static (double Low, double High) PoissonInterval(double events, double exposure)
    {
        if (exposure <= 0)
        {
            return (0, 0);
        }

        var low = events <= 0 ? 0 : Gamma.InvCDF(events, 1, 0.025);
        var high = Gamma.InvCDF(events + 1, 1, 0.975);
        return (low / exposure, high / exposure);
    }

    private static string SplitSql(BaselineSplit split) => split switch
    {
        BaselineSplit.EfiCategory => "coalesce(efi_category, 'unknown')",
        BaselineSplit.ImdQuintile => "coalesce(CAST(imd_quintile AS VARCHAR), 'unknown')",
        BaselineSplit.Segment => "coalesce(segment, 'unknown')",
        _ => "'all'",
    };

    private static string CostSql(DemandSetting setting, MartReference reference)
    {
        if (setting.SocialCare is null)
        {
            return setting.CostSql ?? "0";
        }

        string Weighted(SocialCareShare s) =>
            $"{s.WeeksColumn} * {(reference.Cost(s.UnitCostItem).CostGbp * (decimal)s.HoursPerWeek).ToString(CultureInfo.InvariantCulture)}";
        var total = string.Join(" + ", DemandSetting.All.Where(s => s.SocialCare is not null).Select(s => Weighted(s.SocialCare!)));
        return $"CASE WHEN ({total}) > 0 THEN cost_social_care * {Weighted(setting.SocialCare)} / ({total}) ELSE 0 END";
    }
}
