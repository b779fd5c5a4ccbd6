namespace LinkedDataset.Pipeline.Linkage.Probabilistic;

/// <summary>
/// The expected number of true matches among records left provisional. The Fellegi–Sunter
/// probability of a provisional record's best candidate uses the prior of one match among all people
/// (about 2^-21 for 1.8 million), right for deciding a link but far too low for counting misses: the
/// records left over are much more likely than a random record to have their person in the index.
/// So the prior is re-estimated among them: with the likelihood ratio of each best candidate,
/// LR = 2^(match weight − prior weight), EM finds the share λ of those candidates that are true
/// matches (posterior = λ·LR / (λ·LR + 1 − λ); λ = mean posterior), and the expected misses are the
/// sum of the posteriors, each weighted by its records.
/// </summary>
public static class MissedMatchEstimate
{
    /// <summary>λ and the expected missed records, from each best candidate's match weight and its number of records.</summary>
    public static (double Lambda, double ExpectedMissed) Estimate(IReadOnlyList<(double MatchWeight, long Records)> bestCandidates, double priorWeight)
    {
        var total = bestCandidates.Sum(c => c.Records);
        if (total == 0)
        {
            return (0, 0);
        }

        var ratios = bestCandidates.Select(c => (Lr: Math.Pow(2, Math.Clamp(c.MatchWeight - priorWeight, -200, 200)), c.Records)).ToList();
        var lambda = 0.1;
        double expected = 0;
        for (var iteration = 0; iteration < 1000; iteration++)
        {
            expected = ratios.Sum(c => c.Records * (lambda * c.Lr / ((lambda * c.Lr) + 1 - lambda)));
            var next = Math.Clamp(expected / total, 1e-9, 1 - 1e-9);
            if (Math.Abs(next - lambda) < 1e-10)
            {
                lambda = next;
                break;
            }

            lambda = next;
        }

        return (lambda, expected);
    }
}
