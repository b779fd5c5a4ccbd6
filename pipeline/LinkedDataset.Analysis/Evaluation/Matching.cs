namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// One row offered to matching: a treated person at their index month, or an eligible comparator at that
/// month (a person can be a comparator row in several index months: risk-set matching).
/// </summary>
/// <param name="PersonId">Linked person id.</param>
/// <param name="IndexMonth">Index month as months since year 0 (year × 12 + month − 1); comparators are matched within it.</param>
/// <param name="Stratum">Exact-matching stratum (e.g. "2|65-74"); empty when matching is not exact on anything.</param>
/// <param name="Logit">Logit of the propensity score.</param>
public sealed record MatchCandidate(long PersonId, int IndexMonth, string Stratum, double Logit);

/// <summary>How to match: 1:<see cref="Ratio"/> nearest neighbours on the logit within a caliper.</summary>
/// <param name="Ratio">Comparators per treated person (k of 1:k).</param>
/// <param name="CaliperSd">Caliper in standard deviations of the logit (pooled over treated and comparator rows); 0.2 by default (Austin 2011).</param>
/// <param name="Replacement">Whether a comparator may be matched to more than one treated person.</param>
public sealed record MatchingOptions(int Ratio = 1, double CaliperSd = 0.2, bool Replacement = true)
{
    /// <summary>Throws when the options make no sense.</summary>
    public void Validate()
    {
        if (Ratio is < 1 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio, "The matching ratio must be 1 to 20 comparators per treated person.");
        }

        if (!(CaliperSd > 0) || CaliperSd > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(CaliperSd), CaliperSd, "The caliper must be above 0 and at most 5 standard deviations of the logit.");
        }
    }
}

/// <summary>A treated person and the comparators matched to them, all at the treated person's index month.</summary>
public sealed record MatchedSet(int SetId, long TreatedId, int IndexMonth, string Stratum, double TreatedLogit, IReadOnlyList<long> ComparatorIds);

/// <summary>The matched sets and what matching could not do.</summary>
/// <param name="Sets">One per treated person kept.</param>
/// <param name="Treated">Treated people offered.</param>
/// <param name="DroppedByCaliper">Treated people with no comparator within the caliper (in their index month and stratum).</param>
/// <param name="Caliper">Caliper on the logit scale (CaliperSd × pooled SD of the logit).</param>
/// <param name="LogitSd">Pooled SD of the logit.</param>
/// <param name="ShortOfRatio">Kept treated people with fewer comparators than the ratio asked for.</param>
public sealed record MatchingResult(IReadOnlyList<MatchedSet> Sets, int Treated, int DroppedByCaliper, double Caliper, double LogitSd, int ShortOfRatio);

/// <summary>
/// Greedy nearest-neighbour matching on the logit of the propensity score, within index month and exact
/// stratum (risk-set matching: a comparator is eligible at the treated person's index date and has their index
/// date), in MatchIt's default order (largest propensity first, ties by person id), within a caliper of
/// <see cref="MatchingOptions.CaliperSd"/> pooled standard deviations of the logit.
/// </summary>
public static class NearestNeighbourMatcher
{
    /// <summary>Matches every treated row to up to k comparator rows of the same index month and stratum.</summary>
    public static MatchingResult Match(IReadOnlyList<MatchCandidate> treated, IReadOnlyList<MatchCandidate> comparators, MatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(comparators);
        options.Validate();
        var sd = PooledSd(treated, comparators);
        var caliper = options.CaliperSd * sd;
        var pools = comparators
            .GroupBy(c => (c.IndexMonth, c.Stratum))
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.Logit).ThenBy(c => c.PersonId).ToArray());
        var usedPeople = new HashSet<long>();
        var sets = new List<MatchedSet>();
        var dropped = 0;
        var short_ = 0;
        foreach (var t in treated.OrderByDescending(t => t.Logit).ThenBy(t => t.PersonId))
        {
            var chosen = pools.TryGetValue((t.IndexMonth, t.Stratum), out var pool)
                ? Nearest(pool, t.Logit, caliper, options.Ratio, options.Replacement ? null : usedPeople)
                : [];
            if (chosen.Count == 0)
            {
                dropped++;
                continue;
            }

            if (chosen.Count < options.Ratio)
            {
                short_++;
            }

            if (!options.Replacement)
            {
                usedPeople.UnionWith(chosen);
            }

            sets.Add(new MatchedSet(sets.Count, t.PersonId, t.IndexMonth, t.Stratum, t.Logit, chosen));
        }

        return new MatchingResult(sets, treated.Count, dropped, caliper, sd, short_);
    }

    /// <summary>The k nearest rows of a pool sorted by logit, within the caliper, skipping people already used.</summary>
    private static List<long> Nearest(MatchCandidate[] pool, double logit, double caliper, int k, HashSet<long>? used)
    {
        var right = LowerBound(pool, logit);
        var left = right - 1;
        var chosen = new List<long>(k);
        while (chosen.Count < k)
        {
            while (left >= 0 && used is not null && used.Contains(pool[left].PersonId))
            {
                left--;
            }

            while (right < pool.Length && used is not null && used.Contains(pool[right].PersonId))
            {
                right++;
            }

            var dl = left >= 0 ? logit - pool[left].Logit : double.PositiveInfinity;
            var dr = right < pool.Length ? pool[right].Logit - logit : double.PositiveInfinity;
            if (Math.Min(dl, dr) > caliper)
            {
                break;
            }

            // Ties go to the lower logit, then (by the sort) the lower person id: deterministic.
            if (dl <= dr)
            {
                chosen.Add(pool[left--].PersonId);
            }
            else
            {
                chosen.Add(pool[right++].PersonId);
            }
        }

        return chosen;
    }

    private static int LowerBound(MatchCandidate[] pool, double logit)
    {
        int lo = 0, hi = pool.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (pool[mid].Logit < logit)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>√((var treated + var comparators) / 2) of the logit: the yardstick of the caliper.</summary>
    public static double PooledSd(IReadOnlyList<MatchCandidate> treated, IReadOnlyList<MatchCandidate> comparators) =>
        Balance.PooledSd(treated.Select(t => t.Logit).ToArray(), comparators.Select(c => c.Logit).ToArray());
}
