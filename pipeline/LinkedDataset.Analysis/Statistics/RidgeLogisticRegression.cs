using MathNet.Numerics.LinearAlgebra;

namespace LinkedDataset.Analysis.Statistics;

/// <summary>
/// L2-regularised (ridge) logistic regression by iteratively reweighted least squares on standardised
/// features (MathNet.Numerics): the one fitter behind the emergency admission risk model and the
/// evaluation's propensity score.
/// </summary>
public static class RidgeLogisticRegression
{
    /// <summary>
    /// Fits a ridge logistic regression. Rows are features then the 0/1 outcome last. Features are standardised, the
    /// penalty <paramref name="lambda"/> × ‖β‖² spares the intercept; coefficients are returned on the original scale.
    /// </summary>
    public static (double Intercept, double[] Coefficients, int Iterations) Fit(IReadOnlyList<double[]> rows, double lambda)
    {
        var n = rows.Count;
        var p = rows[0].Length - 1;
        var mean = new double[p];
        var sd = new double[p];
        for (var j = 0; j < p; j++)
        {
            mean[j] = rows.Average(r => r[j]);
            var m = mean[j];
            sd[j] = Math.Sqrt(rows.Sum(r => (r[j] - m) * (r[j] - m)) / n);
            if (sd[j] < 1e-12)
            {
                sd[j] = 1; // constant in the sample: the penalty keeps its coefficient at 0
            }
        }

        var x = Matrix<double>.Build.Dense(n, p + 1, (i, j) => j == 0 ? 1 : (rows[i][j - 1] - mean[j - 1]) / sd[j - 1]);
        var y = Vector<double>.Build.Dense(n, i => rows[i][p]);
        var penalty = Matrix<double>.Build.DenseDiagonal(p + 1, p + 1, lambda);
        penalty[0, 0] = 0;
        var beta = Vector<double>.Build.Dense(p + 1);
        var iterations = 0;
        for (; iterations < 100; iterations++)
        {
            var eta = x * beta;
            var mu = eta.Map(e => 1 / (1 + Math.Exp(-e)));
            var w = mu.Map(m => Math.Max(m * (1 - m), 1e-10));
            var xw = x.MapIndexed((i, _, v) => v * w[i]);
            var gradient = x.TransposeThisAndMultiply(y - mu) - penalty * beta;
            var step = (x.TransposeThisAndMultiply(xw) + penalty).Solve(gradient);
            beta += step;
            if (step.AbsoluteMaximum() < 1e-8)
            {
                iterations++;
                break;
            }
        }

        var coefficients = new double[p];
        var intercept = beta[0];
        for (var j = 0; j < p; j++)
        {
            coefficients[j] = beta[j + 1] / sd[j];
            intercept -= beta[j + 1] * mean[j] / sd[j];
        }

        return (intercept, coefficients, iterations);
    }

}
