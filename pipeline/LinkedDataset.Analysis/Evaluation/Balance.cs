namespace LinkedDataset.Analysis.Evaluation;

/// <summary>Balance of one covariate before and after matching, as standardised mean differences.</summary>
/// <param name="Covariate">Covariate name as the spec names it.</param>
/// <param name="TreatedMean">Mean among treated people who were matched (after) or all treated (before).</param>
/// <param name="ComparatorMeanBefore">Mean over every eligible comparator row (person × index month) before matching.</param>
/// <param name="ComparatorMeanAfter">Mean over matched comparators, weighted as they enter the estimate.</param>
/// <param name="SmdBefore">Treated minus eligible comparators, over the pooled standard deviation before matching.</param>
/// <param name="SmdAfter">Matched treated minus weighted matched comparators, over the same pooled standard deviation.</param>
public sealed record CovariateBalance(string Covariate, double TreatedMean, double ComparatorMeanBefore, double ComparatorMeanAfter, double SmdBefore, double SmdAfter)
{
    /// <summary>Balanced when |SMD after| is below <see cref="Balance.Threshold"/>.</summary>
    public bool Balanced => Math.Abs(SmdAfter) < Balance.Threshold;
}

/// <summary>
/// Standardised mean differences (SMD) as MatchIt and cobalt report them. The denominator is the pooled
/// standard deviation of the unmatched sample, √((s²treated + s²comparators) / 2), used both before and
/// after matching so the two are comparable (Austin 2009): matching changes the difference, not the yardstick.
/// </summary>
public static class Balance
{
    /// <summary>The usual threshold for adequate balance: |SMD| &lt; 0.1.</summary>
    public const double Threshold = 0.1;

    /// <summary>
    /// SMD of (weighted) samples: (mean₁ − mean₀) / pooled SD, with the pooled SD given (from the unmatched sample).
    /// A covariate constant in both groups has SMD 0 when the means agree.
    /// </summary>
    public static double Smd(double meanTreated, double meanComparators, double pooledSd) =>
        pooledSd > 1e-12 ? (meanTreated - meanComparators) / pooledSd : Math.Abs(meanTreated - meanComparators) < 1e-12 ? 0 : double.PositiveInfinity * Math.Sign(meanTreated - meanComparators);

    /// <summary>√((var₁ + var₀) / 2) with population variances (n denominators), as cobalt's default for binary treatments.</summary>
    public static double PooledSd(IReadOnlyList<double> treated, IReadOnlyList<double> comparators) =>
        Math.Sqrt((Variance(treated) + Variance(comparators)) / 2);

    /// <summary>Weighted mean; weights need not sum to 1.</summary>
    public static double WeightedMean(IReadOnlyList<double> values, IReadOnlyList<double> weights)
    {
        double sum = 0, total = 0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[i] * weights[i];
            total += weights[i];
        }

        return total > 0 ? sum / total : double.NaN;
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }
}
