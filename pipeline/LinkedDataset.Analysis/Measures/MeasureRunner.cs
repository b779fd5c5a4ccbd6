// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Measures;

/// <summary>What <c>ldp measures</c> is asked to do.</summary>
public sealed record MeasureRunOptions(DatasetLayout Layout, string DefinitionPath, string? SnapshotId = null, SdcPolicy? Policy = null, DuckDbLimits? Limits = null);

/// <summary>One released value: an interval × group, after disclosure control.</summary>
/// <param name="Interval">e.g. 2025-04, 2025-Q2, 2025/26.</param>
/// <param name="Start">First day of the interval.</param>
/// <param name="Group1">First grouping value ("" when none).</param>
/// <param name="Group2">Second grouping value ("" when none).</param>
/// <param name="Numerator">Protected numerator.</param>
/// <param name="Denominator">Protected denominator: people, or person-years at risk (1 decimal; withheld when under the threshold).</param>
/// <param name="Value">Proportion (%) or rate per <c>per</c>, from the protected values.</param>
/// <param name="Lower">Lower 95 % limit.</param>
/// <param name="Upper">Upper 95 % limit.</param>
/// <param name="Method">Interval method.</param>
/// <param name="Dsr">Directly standardised rate (ESP 2013) per <c>per</c>, when asked; withheld when the numerator is suppressed.</param>
/// <param name="DsrLower">Dobson lower limit.</param>
/// <param name="DsrUpper">Dobson upper limit.</param>
public sealed record MeasureValue(
    string Interval, DateOnly Start, string Group1, string Group2, long? Numerator, double? Denominator, double? Value, double? Lower, double? Upper, string Method,
    double? Dsr, double? DsrLower, double? DsrUpper);

/// <summary>A practice's indirectly standardised ratio against all practices, with funnel limits.</summary>
/// <param name="Practice">Practice code.</param>
/// <param name="Observed">Protected observed count.</param>
/// <param name="Expected">Expected from the age-sex rates of all practices.</param>
/// <param name="Ratio">Observed / expected (from the protected count).</param>
/// <param name="Lower95">95 % funnel lower limit at this expected.</param>
/// <param name="Upper95">95 % funnel upper limit.</param>
/// <param name="Lower998">99.8 % funnel lower limit.</param>
/// <param name="Upper998">99.8 % funnel upper limit.</param>
/// <param name="Flag">"high (99.8 %)", "high (95 %)", "low …", "within limits", or "not assessed (small count)".</param>
public sealed record PracticeRatio(string Practice, long? Observed, double Expected, double? Ratio, double Lower95, double Upper95, double Lower998, double Upper998, string Flag);

/// <summary>A computed measure: released values, practice comparison, files and provenance.</summary>
public sealed record MeasureRunResult(
    string Name, string Folder, MeasureDefinition Definition, IReadOnlyList<MeasureValue> Values, IReadOnlyList<PracticeRatio> Practices,
    AnalysisProvenance Provenance, double Seconds);

/// <summary>
/// <c>ldp measures FILE</c>: numerator and denominator over every interval at once (<see cref="MeasureSql"/>), by up to two
/// groups, with 95 % intervals, optional ESP 2013 direct standardisation and a practice comparison (indirectly standardised
/// ratios with funnel limits). Writes <c>measures/&lt;name&gt;/&lt;snapshot&gt;/</c>; every figure passes disclosure control.
/// </summary>
public static class MeasureRunner
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Runs the stage.</summary>
    public static MeasureRunResult Run(MeasureRunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var m = MeasureParser.Load(options.DefinitionPath);
        var policy = options.Policy ?? SdcPolicy.Default;
        using var snapshot = AnalysisSnapshot.Open(options.Layout, options.SnapshotId, options.Limits, id => options.Layout.Measure(m.Name, id));
        var (values, practices) = Compute(snapshot.Connection, m, snapshot.Data, policy);
        var codelists = new Dictionary<string, string>();
        if (m.Source is CodesSource c)
        {
            codelists[c.Codelist.Name] = c.Codelist.Version;
        }

        codelists["esp2013"] = StandardPopulation.Version;
        var provenance = snapshot.Provenance(options.Layout, m.SourcePath, m.FileHash, codelists, policy);
        var folder = options.Layout.Measure(m.Name, snapshot.SnapshotId);
        Write(folder, m, values, practices, provenance);
        return new MeasureRunResult(m.Name, folder, m, values, practices, provenance, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Computes the released values on a connection holding the snapshot tables and marts.</summary>
    public static (IReadOnlyList<MeasureValue> Values, IReadOnlyList<PracticeRatio> Practices) Compute(DuckDBConnection db, MeasureDefinition m, DataWindow data, SdcPolicy policy)
    {
        if (m.Source is CodesSource c)
        {
            Codelists.LoadInto(db, c.Codelist);
        }

        var (first, last) = IntervalStarts(m.Unit, m.From.Resolve(data), m.To.Resolve(data));
        DuckDb.Execute(db, MeasureSql.Rows(m, first, last));
        var g1 = m.GroupBy.Count > 0 ? "g1" : "''";
        var g2 = m.GroupBy.Count > 1 ? "g2" : "''";
        var cells = db.Query<(int IntervalId, string Label, DateTime Start, string G1, string G2, int Esp, long Numerator, double Denominator)>($"""
            SELECT interval_id, interval_label, CAST(start_date AS TIMESTAMP), CAST({g1} AS VARCHAR), CAST({g2} AS VARCHAR), esp_group,
                   CAST(sum(numerator) AS BIGINT), sum(denominator)
            FROM ms_rows GROUP BY ALL ORDER BY ALL
            """).ToList();
        var weights = StandardPopulation.Esp2013();
        var values = new List<MeasureValue>();
        foreach (var cell in cells.GroupBy(x => (x.IntervalId, x.Label, x.Start, x.G1, x.G2)))
        {
            var numerator = cell.Sum(x => x.Numerator);
            var denominator = cell.Sum(x => x.Denominator);
            var n = DisclosureControl.ProtectCount(numerator, policy);
            // People are counts and protected as such; person-years are not a count of people: released to 1 decimal,
            // withheld when they round up to a count the policy would suppress. Rates use the protected numerator.
            double? d = m.Kind == NumeratorKind.PersonTime
                ? DisclosureControl.ProtectCount((long)Math.Ceiling(denominator), policy) is null ? null : Math.Round(denominator, 1)
                : DisclosureControl.ProtectCount((long)Math.Round(denominator), policy);
            var rateDenominator = m.Kind == NumeratorKind.PersonTime ? denominator : d ?? 0;
            double? value = null, lower = null, upper = null;
            var method = "";
            if (n is { } pn && d is > 0 && (m.Kind != NumeratorKind.People || pn <= d.Value))
            {
                var ci = m.Kind == NumeratorKind.People ? Intervals.Wilson(pn, (long)d.Value) : Intervals.Rate(pn, rateDenominator, m.Per);
                var scale = m.Kind == NumeratorKind.People ? 100.0 : 1.0;
                (value, lower, upper, method) = (m.Kind == NumeratorKind.People ? 100.0 * pn / d.Value : pn * m.Per / rateDenominator, ci.Lower * scale, ci.Upper * scale, ci.Method);
            }

            double? dsr = null, dsrLower = null, dsrUpper = null;
            if (m.Standardise && n is not null && m.Kind != NumeratorKind.People)
            {
                var strata = weights.Select((w, i) => (Events: cell.Where(x => x.Esp == i).Sum(x => x.Numerator), Denominator: cell.Where(x => x.Esp == i).Sum(x => x.Denominator), Weight: w)).ToList();
                if (strata.Any(s => s.Denominator > 0))
                {
                    var ci = Intervals.Dobson(strata, m.Per);
                    (dsr, dsrLower, dsrUpper) = (Intervals.Dsr(strata, m.Per), ci.Lower, ci.Upper);
                }
            }

            values.Add(new MeasureValue(cell.Key.Label, DateOnly.FromDateTime(cell.Key.Start), cell.Key.G1 ?? "", cell.Key.G2 ?? "", n, d, value, lower, upper, method, dsr, dsrLower, dsrUpper));
        }

        return (values, m.PracticeComparison ? Practices(db, policy) : []);
    }

    /// <summary>Indirectly standardised ratios by practice over all intervals: expected = Σ practice denominator × all-practice rate, by age group × sex.</summary>
    private static List<PracticeRatio> Practices(DuckDBConnection db, SdcPolicy policy)
    {
        var rows = db.Query<(string Practice, long Observed, double Expected)>("""
            WITH band AS (
              SELECT esp_group, sex_group, sum(numerator) / sum(denominator) AS rate FROM ms_rows GROUP BY ALL HAVING sum(denominator) > 0
            )
            SELECT coalesce(r.practice_code, 'unknown'), CAST(sum(r.numerator) AS BIGINT), sum(r.denominator * b.rate)
            FROM ms_rows r JOIN band b USING (esp_group, sex_group)
            GROUP BY ALL ORDER BY 1
            """).ToList();
        return rows.Where(r => r.Expected > 0).Select(r =>
        {
            var observed = DisclosureControl.ProtectCount(r.Observed, policy);
            var l95 = Intervals.FunnelLimits(r.Expected, 0.95);
            var l998 = Intervals.FunnelLimits(r.Expected, 0.998);
            double? ratio = observed is { } o ? o / r.Expected : null;
            var flag = ratio switch
            {
                null => "not assessed (small count)",
                var x when x > l998.Upper => "high (beyond 99.8 %)",
                var x when x < l998.Lower => "low (beyond 99.8 %)",
                var x when x > l95.Upper => "high (beyond 95 %)",
                var x when x < l95.Lower => "low (beyond 95 %)",
                _ => "within limits",
            };
            return new PracticeRatio(r.Practice, observed, Math.Round(r.Expected, 1), ratio, l95.Lower, l95.Upper, l998.Lower, l998.Upper, flag);
        }).ToList();
    }

    /// <summary>The first days of the first and last intervals that contain <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static (DateOnly First, DateOnly Last) IntervalStarts(string unit, DateOnly from, DateOnly to)
    {
        DateOnly Start(DateOnly d) => unit switch
        {
            "month" => new DateOnly(d.Year, d.Month, 1),
            "quarter" => new DateOnly(d.Year, (d.Month - 1) / 3 * 3 + 1, 1),
            _ => FinancialYear.Start(FinancialYear.Of(d)),
        };
        if (to < from)
        {
            throw new PipelineException($"The measure's intervals end ({to:yyyy-MM-dd}) before they start ({from:yyyy-MM-dd}).");
        }

        return (Start(from), Start(to));
    }

    private static void Write(string folder, MeasureDefinition m, IReadOnlyList<MeasureValue> values, IReadOnlyList<PracticeRatio> practices, AnalysisProvenance provenance)
    {
        Directory.CreateDirectory(folder);
        string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "[REDACTED]";
        string D(double? v) => v?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";
        string P(double? v) => v?.ToString("0.#", CultureInfo.InvariantCulture) ?? "[REDACTED]";
        var groupNames = m.GroupBy.Concat(["", ""]).Take(2).Select((g, i) => g.Length > 0 ? g : $"group{i + 1}").ToList();
        ReportFiles.WriteCsv(Path.Combine(folder, "measure.csv"),
            ["interval", "start", groupNames[0], groupNames[1], "numerator", "denominator", m.Kind == NumeratorKind.People ? "percent" : $"rate_per_{m.Per:0}", "lower_95", "upper_95", "method", "dsr", "dsr_lower_95", "dsr_upper_95"],
            values.Select(v => new[] { v.Interval, v.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), v.Group1, v.Group2, N(v.Numerator), P(v.Denominator), D(v.Value), D(v.Lower), D(v.Upper), v.Method, D(v.Dsr), D(v.DsrLower), D(v.DsrUpper) }));
        if (m.PracticeComparison)
        {
            ReportFiles.WriteCsv(Path.Combine(folder, "practices.csv"),
                ["practice", "observed", "expected", "ratio", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "flag"],
                practices.Select(p => new[] { p.Practice, N(p.Observed), D(p.Expected), D(p.Ratio), D(p.Lower95), D(p.Upper95), D(p.Lower998), D(p.Upper998), p.Flag }));
        }

        File.WriteAllText(Path.Combine(folder, "provenance.json"), JsonSerializer.Serialize(provenance, Json));
        MeasureHtml.Build(m, values, practices, provenance).Save(Path.Combine(folder, "report.html"));
    }
}
