namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>
/// The m- and u-probabilities of every comparison level: m = P(level | same person),
/// u = P(level | different people). A level's match weight is log2(m / u) bits.
/// </summary>
public sealed record FellegiSunterModel(IReadOnlyList<Comparison> Comparisons, double[][] M, double[][] U)
{
    /// <summary>
    /// Whether each comparison is in the model. A comparison with no information in the data (every
    /// pair missing it, or only one level ever seen: every record of unknown sex, say) is left out:
    /// its m and u would be the starting values, shown as if estimated. Default: all used.
    /// </summary>
    public IReadOnlyList<bool> Used { get; init; } = Comparisons.Select(_ => true).ToArray();

    /// <summary>log2(m/u) of <paramref name="level"/> of comparison <paramref name="comparison"/>; 0 for a missing value (level -1) or a comparison left out.</summary>
    public double Weight(int comparison, int level) =>
        level < 0 || !Used[comparison] ? 0 : Math.Log2(M[comparison][level] / U[comparison][level]);

    /// <summary>The match probability of a total match weight (prior included), 2^w / (1 + 2^w).</summary>
    public static double Probability(double weight) => 1 / (1 + Math.Pow(2, -weight));
}

/// <summary>Pairs of one blocking rule that share one comparison vector.</summary>
/// <param name="Rule">Index of the blocking rule in the settings.</param>
/// <param name="Levels">Level per comparison (in <see cref="Comparisons.All"/> order), -1 when missing.</param>
/// <param name="Count">Number of candidate pairs with this vector.</param>
public sealed record PatternCount(int Rule, int[] Levels, long Count);

/// <summary>What EM found for one blocking rule.</summary>
public sealed record EmRuleResult(string Rule, int Iterations, double Lambda, IReadOnlyList<string> Estimated);

/// <summary>
/// Expectation–maximisation of the m-probabilities with u fixed (u comes from random pairs),
/// over aggregated pattern counts: small, so it runs in .NET. Each blocking rule's pairs are fitted
/// on their own, leaving out the comparisons that rule constrains (their agreement is forced by
/// blocking, not evidence), and each comparison's m is the mean over the rules that estimated it.
/// </summary>
public static class EmEstimator
{
    private const double Floor = 1e-6;

    /// <summary>A starting m that favours the strongest agreement: 2^(2·level) over the full levels (coarse levels 0), normalised.</summary>
    public static double[] InitialM(Comparison comparison)
    {
        var m = Enumerable.Range(0, comparison.Levels.Count).Select(l => comparison.Coarse.ContainsKey(l) ? 0 : Math.Pow(4, l)).ToArray();
        var sum = m.Sum();
        return m.Select(x => x / sum).ToArray();
    }

    /// <summary>Fits m per rule and averages; comparisons no rule estimates keep <see cref="InitialM"/>.</summary>
    public static (double[][] M, IReadOnlyList<EmRuleResult> Rules) Estimate(
        IReadOnlyList<Comparison> comparisons, double[][] u, IReadOnlyList<BlockingRule> rules, IReadOnlyList<PatternCount> patterns,
        int maxIterations, double tolerance)
    {
        // Coarse levels (a partly known value) are not estimated: they count as missing here and take
        // the sum of their full levels' m at the end.
        patterns = patterns.Select(p => p with { Levels = p.Levels.Select((level, c) => comparisons[c].Estimable(level)).ToArray() }).ToList();
        var sums = comparisons.Select(c => new double[c.Levels.Count]).ToArray();
        var fits = new int[comparisons.Count];
        var results = new List<EmRuleResult>();
        for (var r = 0; r < rules.Count; r++)
        {
            var mine = patterns.Where(p => p.Rule == r && p.Count > 0).ToList();
            var free = Enumerable.Range(0, comparisons.Count).Where(c => !rules[r].Fixes.Contains(comparisons[c].Name)).ToArray();
            if (mine.Count == 0 || free.Length == 0)
            {
                results.Add(new EmRuleResult(rules[r].Name, 0, double.NaN, []));
                continue;
            }

            var (m, lambda, iterations) = Fit(comparisons, u, free, mine, maxIterations, tolerance);
            foreach (var c in free)
            {
                for (var l = 0; l < m[c].Length; l++)
                {
                    sums[c][l] += m[c][l];
                }

                fits[c]++;
            }

            results.Add(new EmRuleResult(rules[r].Name, iterations, lambda, free.Select(c => comparisons[c].Name).ToList()));
        }

        var result = comparisons.Select((c, i) => c.WithCoarse(fits[i] == 0 ? InitialM(c) : sums[i].Select(x => x / fits[i]).ToArray())).ToArray();
        return (result, results);
    }

    /// <summary>EM on one set of pattern counts, estimating m of the <paramref name="free"/> comparisons and the match share λ.</summary>
    public static (double[][] M, double Lambda, int Iterations) Fit(
        IReadOnlyList<Comparison> comparisons, double[][] u, IReadOnlyList<int> free, IReadOnlyList<PatternCount> patterns,
        int maxIterations, double tolerance)
    {
        var m = comparisons.Select(InitialM).ToArray();
        var lambda = 0.5;
        var iteration = 0;
        while (iteration++ < maxIterations)
        {
            var matchMass = comparisons.Select(c => new double[c.Levels.Count]).ToArray();
            double matches = 0, total = 0;
            foreach (var pattern in patterns)
            {
                double pm = lambda, pu = 1 - lambda;
                foreach (var c in free)
                {
                    var level = pattern.Levels[c];
                    if (level >= 0)
                    {
                        pm *= m[c][level];
                        pu *= u[c][level];
                    }
                }

                var posterior = pm / (pm + pu);
                var mass = posterior * pattern.Count;
                matches += mass;
                total += pattern.Count;
                foreach (var c in free)
                {
                    if (pattern.Levels[c] >= 0)
                    {
                        matchMass[c][pattern.Levels[c]] += mass;
                    }
                }
            }

            var change = Math.Abs(matches / total - lambda);
            lambda = Math.Clamp(matches / total, Floor, 1 - Floor);
            foreach (var c in free)
            {
                var sum = matchMass[c].Sum();
                if (sum <= 0)
                {
                    continue;
                }

                var next = matchMass[c].Select(x => Math.Max(x / sum, Floor)).ToArray();
                var norm = next.Sum();
                for (var l = 0; l < next.Length; l++)
                {
                    change = Math.Max(change, Math.Abs((next[l] / norm) - m[c][l]));
                    m[c][l] = next[l] / norm;
                }
            }

            if (change < tolerance)
            {
                break;
            }
        }

        return (m, lambda, Math.Min(iteration, maxIterations));
    }
}
