// Dapper's AOT analyzers ask for Dapper.AOT; this file uses plain Dapper.
#pragma warning disable DAP005, DAP028

using System.Globalization;
using Dapper;
using LinkedDataset.Analysis.Statistics;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>A user's own person-level table: which columns hold the treatment, outcome, optional pre-period outcome and covariates.</summary>
public sealed record TableEvaluationOptions(
    string Path, string Treatment, string Outcome, string? Pre, IReadOnlyList<string> Covariates, MatchingOptions Matching, int Replicates = 200, int Seed = 42, double Lambda = 1.0);

/// <summary>What <see cref="TableEvaluation.Run"/> found.</summary>
/// <param name="Treated">Rows with treatment 1 (and every used column filled).</param>
/// <param name="Comparators">Rows with treatment 0.</param>
/// <param name="RowsDropped">Rows left out because a used column was empty.</param>
/// <param name="Matching">The matched sets.</param>
/// <param name="Balance">SMD before and after matching per covariate.</param>
/// <param name="Estimate">Effect: difference-in-differences with <c>--pre</c>, else the difference in outcome means; naive = treated after minus before.</param>
/// <param name="HasPre">Whether a pre-period column was given.</param>
public sealed record TableEvaluationResult(int Treated, int Comparators, int RowsDropped, MatchingResult Matching, IReadOnlyList<CovariateBalance> Balance, OutcomeEstimate Estimate, bool HasPre);

/// <summary>
/// The same matching, diagnostics and estimate as a spec evaluation, on any person-level table (one index
/// date, so one cohort): <c>ldp evaluate --table FILE --treatment COL --outcome COL [--pre COL] --covariates A B</c>.
/// </summary>
public static class TableEvaluation
{
    // One "month" before (the pre column) and one after (the outcome), each with 12 months of exposure so a rate is the value itself.
    private static readonly EventWindows Windows = new(-1, -1, 0, 0, -1, -1);

    /// <summary>Reads the table in DuckDB, fits the propensity score, matches and estimates.</summary>
    public static TableEvaluationResult Run(TableEvaluationOptions o)
    {
        if (!File.Exists(o.Path))
        {
            throw new PipelineException($"Table not found: {o.Path}.");
        }

        var reader = System.IO.Path.GetExtension(o.Path).ToLowerInvariant() switch
        {
            ".csv" => $"read_csv({Sql.Path(o.Path)}, header = true)",
            ".parquet" => $"read_parquet({Sql.Path(o.Path)})",
            _ => throw new PipelineException($"{o.Path}: --table reads .csv or .parquet files."),
        };
        using var db = DuckDb.OpenInMemory();
        try
        {
            DuckDb.Execute(db, $"CREATE TABLE t AS SELECT * FROM {reader}");
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new PipelineException($"{o.Path}: cannot be read as a table ({e.Message.Split('\n')[0]}).");
        }

        var columns = EvaluationData.Columns(db, "t");
        var used = new[] { o.Treatment, o.Outcome }.Concat(o.Pre is null ? [] : [o.Pre]).Concat(o.Covariates).ToList();
        foreach (var missing in used.Where(u => !columns.Contains(u.ToLowerInvariant())))
        {
            throw new PipelineException($"{o.Path}: no column '{missing}'; the columns are {string.Join(", ", columns.Order())}.");
        }

        var select = string.Join(", ", used.Select((c, i) => $"TRY_CAST({Sql.Identifier(c)} AS DOUBLE) AS v{i}"));
        // Unbuffered: each row of the user's table becomes one double[] (NULL, i.e. missing or not a number, is NaN) without holding Dapper's rows.
        var rows = db.Query($"SELECT {select} FROM t", buffered: false).Cast<IDictionary<string, object?>>()
            .Select(r => r.Values.Select(v => v is null ? double.NaN : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var complete = rows.Where(r => r.All(double.IsFinite)).ToList();
        var bad = complete.FirstOrDefault(r => r[0] is not (0 or 1));
        if (bad is not null)
        {
            throw new PipelineException($"{o.Path}: column '{o.Treatment}' must be 0 or 1; found {bad[0].ToString(CultureInfo.InvariantCulture)}.");
        }

        var offset = o.Pre is null ? 2 : 3;
        var treated = complete.Select((r, i) => (r, i)).Where(p => p.r[0] == 1).ToList();
        var comparators = complete.Select((r, i) => (r, i)).Where(p => p.r[0] == 0).ToList();
        if (treated.Count == 0 || comparators.Count == 0)
        {
            throw new PipelineException($"{o.Path}: column '{o.Treatment}' needs both treated (1) and untreated (0) rows with every used column filled.");
        }

        var fitRows = complete.Select(r => r.Skip(offset).Append(r[0]).ToArray()).ToList();
        var (intercept, coefficients, _) = o.Covariates.Count == 0 ? (0.0, Array.Empty<double>(), 0) : RidgeLogisticRegression.Fit(fitRows, o.Lambda);
        double Logit(double[] r) => intercept + coefficients.Select((b, j) => b * r[offset + j]).Sum();
        var t = treated.Select(p => new MatchCandidate(p.i, 0, "", Logit(p.r))).ToList();
        var c = comparators.Select(p => new MatchCandidate(p.i, 0, "", Logit(p.r))).ToList();
        var matching = NearestNeighbourMatcher.Match(t, c, o.Covariates.Count == 0 ? o.Matching with { CaliperSd = 5 } : o.Matching);
        if (matching.Sets.Count == 0)
        {
            throw new PipelineException("No treated row had an untreated row within the caliper.");
        }

        MemberSeries Series(int row) => new([o.Pre is null ? 0 : complete[row][2], complete[row][1]], [12, 12]);
        var sets = matching.Sets.Select(s => new SetSeries(0, Series((int)s.TreatedId), s.ComparatorIds.Select(id => Series((int)id)).ToList())).ToList();
        var estimate = DifferenceInDifferences.Estimate(sets, Windows, DifferenceInDifferences.BootstrapDraws(sets.Count, o.Replicates, o.Seed));

        var balance = o.Covariates.Select((name, j) =>
        {
            var tv = treated.Select(p => p.r[offset + j]).ToArray();
            var cv = comparators.Select(p => p.r[offset + j]).ToArray();
            var sd = Balance.PooledSd(tv, cv);
            var tAfter = matching.Sets.Average(s => complete[(int)s.TreatedId][offset + j]);
            var after = matching.Sets.SelectMany(s => s.ComparatorIds.Select(id => (V: complete[(int)id][offset + j], W: 1.0 / s.ComparatorIds.Count))).ToList();
            var cAfter = Balance.WeightedMean(after.Select(a => a.V).ToArray(), after.Select(a => a.W).ToArray());
            return new CovariateBalance(name, tAfter, cv.Average(), cAfter, Balance.Smd(tv.Average(), cv.Average(), sd), Balance.Smd(tAfter, cAfter, sd));
        }).ToList();
        return new TableEvaluationResult(treated.Count, comparators.Count, rows.Count - complete.Count, matching, balance, estimate, o.Pre is not null);
    }

    /// <summary>Writes <c>estimate.csv</c> and <c>balance.csv</c>; counts of rows through disclosure control.</summary>
    public static EvaluationFiles Write(TableEvaluationResult r, string folder, SdcPolicy policy)
    {
        Directory.CreateDirectory(folder);
        string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F4", CultureInfo.InvariantCulture) : "";
        string N(long n) => DisclosureControl.ProtectCount(n, policy)?.ToString(CultureInfo.InvariantCulture) ?? "";
        var e = r.Estimate;
        var estimate = System.IO.Path.Combine(folder, "estimate.csv");
        File.WriteAllText(estimate,
            "method,treated,comparators,matched_sets,dropped_by_caliper,effect,lower,upper,naive_before_after,naive_lower,naive_upper\n" +
            $"{(r.HasPre ? "difference-in-differences" : "difference in means")},{N(r.Treated)},{N(r.Comparators)},{N(r.Matching.Sets.Count)},{N(r.Matching.DroppedByCaliper)}," +
            $"{F(e.Effect.Value)},{F(e.Effect.Lower)},{F(e.Effect.Upper)},{(r.HasPre ? F(e.Naive.Value) : "")},{(r.HasPre ? F(e.Naive.Lower) : "")},{(r.HasPre ? F(e.Naive.Upper) : "")}\n");
        var balance = System.IO.Path.Combine(folder, "balance.csv");
        File.WriteAllText(balance, "covariate,treated_mean,comparator_mean_before,comparator_mean_after,smd_before,smd_after,balanced\n" + string.Concat(r.Balance.Select(b =>
            $"{b.Covariate},{F(b.TreatedMean)},{F(b.ComparatorMeanBefore)},{F(b.ComparatorMeanAfter)},{F(b.SmdBefore)},{F(b.SmdAfter)},{(b.Balanced ? "yes" : "no")}\n")));
        return new EvaluationFiles(folder, [estimate, balance]);
    }
}
