using MathNet.Numerics.Distributions;

namespace LinkedDataset.Analysis.Measures;

/// <summary>A confidence interval (or control limits) and the method that made it.</summary>
public sealed record Interval(double Lower, double Upper, string Method);

/// <summary>
/// Confidence intervals for public health measures, as in the PHE/OHID technical guide
/// ("Confidence intervals", Fingertips): Wilson score for proportions; exact Poisson (Garwood, from
/// chi-squared quantiles) for counts under 10 and Byar's approximation from 10; Dobson for directly
/// standardised rates; exact Poisson control limits for funnel plots of indirectly standardised ratios.
/// </summary>
public static class Intervals
{
    /// <summary>z for a two-sided level, e.g. 1.959964 for 0.95.</summary>
    public static double Z(double level) => Normal.InvCDF(0, 1, 1 - (1 - level) / 2);

    /// <summary>Wilson score interval of a proportion <paramref name="x"/>/<paramref name="n"/> (as a proportion, 0–1).</summary>
    public static Interval Wilson(long x, long n, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        var z = Z(level);
        var p = (double)x / n;
        var centre = p + z * z / (2.0 * n);
        var spread = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        var denominator = 1 + z * z / n;
        return new Interval((centre - spread) / denominator, (centre + spread) / denominator, "Wilson");
    }

    /// <summary>Exact (Garwood) interval of a Poisson count: χ²(α/2, 2O)/2 to χ²(1−α/2, 2O+2)/2.</summary>
    public static Interval Garwood(long observed, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(observed);
        var alpha = 1 - level;
        var lower = observed == 0 ? 0 : ChiSquared.InvCDF(2 * observed, alpha / 2) / 2;
        var upper = ChiSquared.InvCDF(2 * (observed + 1), 1 - alpha / 2) / 2;
        return new Interval(lower, upper, "exact Poisson");
    }

    /// <summary>Byar's approximation to the exact Poisson interval of a count.</summary>
    public static Interval Byar(long observed, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observed);
        var z = Z(level);
        double o = observed, o1 = observed + 1;
        var lower = o * Math.Pow(1 - 1 / (9 * o) - z / (3 * Math.Sqrt(o)), 3);
        var upper = o1 * Math.Pow(1 - 1 / (9 * o1) + z / (3 * Math.Sqrt(o1)), 3);
        return new Interval(lower, upper, "Byar");
    }

    /// <summary>The interval of a Poisson count: exact under 10, Byar from 10 (the PHE convention).</summary>
    public static Interval PoissonCount(long observed, double level = 0.95) => observed < 10 ? Garwood(observed, level) : Byar(observed, level);

    /// <summary>A rate's interval: the count's interval × <paramref name="per"/> / <paramref name="denominator"/>.</summary>
    public static Interval Rate(long observed, double denominator, double per, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        var count = PoissonCount(observed, level);
        return new Interval(count.Lower * per / denominator, count.Upper * per / denominator, count.Method);
    }

    /// <summary>
    /// Dobson's interval of a directly standardised rate: DSR + √(V/O)·(O_L − O) to DSR + √(V/O)·(O_U − O), where O is the
    /// total count, O_L/O_U its Poisson interval and V = Σ (w_i/Σw)² d_i / n_i² the variance of the (unscaled) DSR.
    /// </summary>
    public static Interval Dobson(IReadOnlyList<(long Events, double Denominator, double Weight)> strata, double per, double level = 0.95)
    {
        var totalWeight = strata.Sum(s => s.Weight);
        var used = strata.Where(s => s.Denominator > 0).ToList();
        var observed = used.Sum(s => s.Events);
        var dsr = used.Sum(s => s.Weight / totalWeight * s.Events / s.Denominator);
        if (observed == 0)
        {
            var zero = PoissonCount(0, level);
            var scale = used.Max(s => s.Weight / totalWeight / s.Denominator);
            return new Interval(0, zero.Upper * scale * per, "Dobson (exact Poisson)");
        }

        var variance = used.Sum(s => Math.Pow(s.Weight / totalWeight, 2) * s.Events / (s.Denominator * s.Denominator));
        var limits = PoissonCount(observed, level);
        var factor = Math.Sqrt(variance / observed);
        return new Interval((dsr + factor * (limits.Lower - observed)) * per, (dsr + factor * (limits.Upper - observed)) * per, "Dobson (" + limits.Method + ")");
    }

    /// <summary>The directly standardised rate per <paramref name="per"/>: Σ w_i d_i/n_i / Σ w_i (strata with no denominator left out of the sum, not of the weights).</summary>
    public static double Dsr(IReadOnlyList<(long Events, double Denominator, double Weight)> strata, double per)
    {
        var totalWeight = strata.Sum(s => s.Weight);
        return strata.Where(s => s.Denominator > 0).Sum(s => s.Weight / totalWeight * s.Events / s.Denominator) * per;
    }

    /// <summary>
    /// Funnel plot control limits of an indirectly standardised ratio (observed/expected) at <paramref name="expected"/>:
    /// exact Poisson limits of a count with mean E, χ²(α/2, 2E)/2 / E and χ²(1−α/2, 2E+2)/2 / E. Use 0.95 and 0.998.
    /// </summary>
    public static Interval FunnelLimits(double expected, double level)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expected);
        var alpha = 1 - level;
        return new Interval(ChiSquared.InvCDF(2 * expected, alpha / 2) / 2 / expected, ChiSquared.InvCDF(2 * expected + 2, 1 - alpha / 2) / 2 / expected, "exact Poisson funnel");
    }
}
