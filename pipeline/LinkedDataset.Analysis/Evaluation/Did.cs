namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// One person's monthly counts of an outcome and the share of each month they were followed (alive,
/// registered and, for a comparator, not yet referred), for months <see cref="EventWindows.First"/> to
/// <see cref="EventWindows.Last"/> relative to their index month.
/// </summary>
public sealed record MemberSeries(double[] Counts, double[] Exposure)
{
    /// <summary>Events per person-year over months <paramref name="from"/>..<paramref name="to"/> (offsets into the arrays); NaN when never followed.</summary>
    public double Rate(int from, int to)
    {
        double count = 0, exposure = 0;
        for (var i = from; i <= to; i++)
        {
            count += Counts[i];
            exposure += Exposure[i];
        }

        return exposure > 1e-9 ? count / exposure * 12 : double.NaN;
    }
}

/// <summary>A matched set's series for one outcome: the treated person and their comparators, and the index month (the cohort).</summary>
public sealed record SetSeries(int IndexMonth, MemberSeries Treated, IReadOnlyList<MemberSeries> Comparators);

/// <summary>An estimate with its bootstrap 95 % interval (percentile); the interval is null without replicates.</summary>
public sealed record Estimate(double Value, double? Lower, double? Upper)
{
    /// <summary>Whether the interval contains <paramref name="value"/>.</summary>
    public bool Contains(double value) => Lower is { } l && Upper is { } u && l <= value && value <= u;

    /// <summary>The estimate and percentiles 2.5 and 97.5 of the replicates (NaN replicates dropped).</summary>
    public static Estimate From(double value, IReadOnlyList<double>? replicates)
    {
        var finite = replicates?.Where(double.IsFinite).Order().ToArray() ?? [];
        return finite.Length < 2 ? new Estimate(value, null, null) : new Estimate(value, Percentile(finite, 0.025), Percentile(finite, 0.975));
    }

    /// <summary>Linear interpolation between order statistics (type 7, R's default).</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

/// <summary>A group-time effect: the DiD of one referral cohort (index month).</summary>
public sealed record CohortEffect(int IndexMonth, int Sets, Estimate Effect);

/// <summary>The event-study effect at one month since the index month.</summary>
public sealed record EventEffect(int Month, int Sets, Estimate Effect);

/// <summary>Everything estimated for one outcome (rates per person-year).</summary>
/// <param name="Sets">Matched sets with follow-up in both periods.</param>
/// <param name="TreatedPre">Mean pre-period rate of the treated.</param>
/// <param name="TreatedPost">Mean post-period rate of the treated.</param>
/// <param name="ComparatorPre">Mean pre-period rate of the comparators (averaged within sets, then over sets).</param>
/// <param name="ComparatorPost">Mean post-period rate of the comparators.</param>
/// <param name="TreatedNaivePre">Mean rate of the treated in the naive before-period.</param>
/// <param name="Effect">Difference-in-differences: average treatment effect on the treated, events per person-year (negative = fewer).</param>
/// <param name="RateRatio">Treated post-rate over their counterfactual post-rate (treated post − effect).</param>
/// <param name="Naive">Naive before/after: treated post-rate minus their rate in the naive before-period.</param>
/// <param name="NaiveRateRatio">Treated post-rate over their naive before-rate.</param>
/// <param name="Cohorts">Group-time effects by index month.</param>
/// <param name="EventStudy">Effect by month since the index month.</param>
/// <param name="EffectReplicates">Bootstrap replicates of <paramref name="Effect"/> (for money intervals).</param>
public sealed record OutcomeEstimate(
    int Sets, double TreatedPre, double TreatedPost, double ComparatorPre, double ComparatorPost, double TreatedNaivePre,
    Estimate Effect, Estimate RateRatio, Estimate Naive, Estimate NaiveRateRatio,
    IReadOnlyList<CohortEffect> Cohorts, IReadOnlyList<EventEffect> EventStudy, IReadOnlyList<double> EffectReplicates);

/// <summary>
/// Difference-in-differences on matched sets, with staggered adoption handled as group-time effects:
/// each treated person is compared with comparators matched at the same index month, so every set is its
/// own 2×2 (before/after × treated/comparator) in calendar time aligned at that month. Effects per referral
/// cohort (index month) are aggregated weighted by their number of sets (Callaway and Sant'Anna's simple
/// aggregation, with matched not-yet-referred comparators as the control group); the event study gives the
/// same contrast month by month. Intervals: percentile bootstrap resampling whole matched sets.
/// </summary>
public static class DifferenceInDifferences
{
    /// <summary>Draws of set indices for each bootstrap replicate; the same draws serve every outcome, so outcomes (and money) vary jointly.</summary>
    public static int[][] BootstrapDraws(int sets, int replicates, int seed)
    {
        var random = new Random(seed);
        var draws = new int[replicates][];
        for (var b = 0; b < replicates; b++)
        {
            var d = new int[sets];
            for (var i = 0; i < sets; i++)
            {
                d[i] = random.Next(sets);
            }

            draws[b] = d;
        }

        return draws;
    }

    /// <summary>Estimates one outcome from its matched sets; <paramref name="draws"/> from <see cref="BootstrapDraws"/> over the same sets (or empty).</summary>
    public static OutcomeEstimate Estimate(IReadOnlyList<SetSeries> sets, EventWindows windows, int[][] draws)
    {
        var s = sets.Select(x => Summarise(x, windows)).ToArray();
        var point = Aggregate(s, Enumerable.Range(0, s.Length));
        var reps = draws.Select(d => Aggregate(s, d)).ToArray();
        var cohortKeys = s.Where(x => x.Valid).Select(x => x.IndexMonth).Distinct().Order().ToArray();
        var cohortSlot = cohortKeys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        var cohortReps = cohortKeys.Select(_ => new double[draws.Length]).ToArray();
        var eventReps = Enumerable.Range(0, windows.Length).Select(_ => new double[draws.Length]).ToArray();
        for (var b = 0; b < draws.Length; b++)
        {
            var (cohortMeans, eventMeans) = GroupMeans(s, draws[b], cohortSlot, windows.Length);
            for (var c = 0; c < cohortKeys.Length; c++)
            {
                cohortReps[c][b] = cohortMeans[c];
            }

            for (var e = 0; e < windows.Length; e++)
            {
                eventReps[e][b] = eventMeans[e];
            }
        }

        var (cohortPoint, eventPoint) = GroupMeans(s, Enumerable.Range(0, s.Length).ToArray(), cohortSlot, windows.Length);
        var cohorts = cohortKeys.Select((k, c) => new CohortEffect(k, s.Count(x => x.Valid && x.IndexMonth == k), Evaluation.Estimate.From(cohortPoint[c], cohortReps[c]))).ToList();
        var events = Enumerable.Range(0, windows.Length).Select(e => new EventEffect(
            windows.First + e, s.Count(x => x.Valid && double.IsFinite(x.De[e])), Evaluation.Estimate.From(eventPoint[e], eventReps[e]))).ToList();

        return new OutcomeEstimate(
            point.N, point.TPre, point.TPost, point.CPre, point.CPost, point.TNaive,
            Evaluation.Estimate.From(point.Effect, reps.Select(r => r.Effect).ToArray()),
            Evaluation.Estimate.From(point.Ratio, reps.Select(r => r.Ratio).ToArray()),
            Evaluation.Estimate.From(point.Naive, reps.Select(r => r.Naive).ToArray()),
            Evaluation.Estimate.From(point.NaiveRatio, reps.Select(r => r.NaiveRatio).ToArray()),
            cohorts, events, reps.Select(r => r.Effect).ToArray());
    }

    /// <summary>Mean set effect per cohort and per event month over the drawn sets (one pass).</summary>
    private static (double[] Cohorts, double[] Events) GroupMeans(SetSummary[] s, int[] indices, Dictionary<int, int> cohortSlot, int months)
    {
        var cSum = new double[cohortSlot.Count];
        var cN = new int[cohortSlot.Count];
        var eSum = new double[months];
        var eN = new int[months];
        foreach (var i in indices)
        {
            var x = s[i];
            if (!x.Valid)
            {
                continue;
            }

            var slot = cohortSlot[x.IndexMonth];
            cSum[slot] += x.D;
            cN[slot]++;
            for (var e = 0; e < months; e++)
            {
                if (double.IsFinite(x.De[e]))
                {
                    eSum[e] += x.De[e];
                    eN[e]++;
                }
            }
        }

        return (cSum.Select((v, c) => cN[c] > 0 ? v / cN[c] : double.NaN).ToArray(), eSum.Select((v, e) => eN[e] > 0 ? v / eN[e] : double.NaN).ToArray());
    }

    private readonly record struct Totals(int N, double TPre, double TPost, double CPre, double CPost, double TNaive, double Effect, double Ratio, double Naive, double NaiveRatio);

    private static Totals Aggregate(SetSummary[] s, IEnumerable<int> indices)
    {
        double tPre = 0, tPost = 0, cPre = 0, cPost = 0, tNaive = 0, d = 0;
        var n = 0;
        foreach (var i in indices)
        {
            var x = s[i];
            if (!x.Valid)
            {
                continue;
            }

            n++;
            tPre += x.TPre;
            tPost += x.TPost;
            cPre += x.CPre;
            cPost += x.CPost;
            tNaive += x.TNaive;
            d += x.D;
        }

        if (n == 0)
        {
            return new Totals(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var effect = d / n;
        var post = tPost / n;
        var naivePre = tNaive / n;
        var counterfactual = post - effect;
        return new Totals(n, tPre / n, post, cPre / n, cPost / n, naivePre, effect,
            counterfactual > 0 ? post / counterfactual : double.NaN, post - naivePre, naivePre > 0 ? post / naivePre : double.NaN);
    }

    private sealed record SetSummary(bool Valid, int IndexMonth, double TPre, double TPost, double CPre, double CPost, double TNaive, double D, double[] De);

    /// <summary>
    /// One set's rates: a comparator counts when followed in both periods; the set counts when the treated
    /// person is and at least one comparator does. Comparators are averaged with equal weight within the set.
    /// </summary>
    private static SetSummary Summarise(SetSeries set, EventWindows w)
    {
        int Off(int month) => month - w.First;
        var tPre = set.Treated.Rate(Off(w.PreFrom), Off(w.PreTo));
        var tPost = set.Treated.Rate(Off(w.PostFrom), Off(w.PostTo));
        var tNaive = set.Treated.Rate(Off(w.NaivePreFrom), Off(w.NaivePreTo));
        var comps = set.Comparators
            .Select(c => (Member: c, Pre: c.Rate(Off(w.PreFrom), Off(w.PreTo)), Post: c.Rate(Off(w.PostFrom), Off(w.PostTo))))
            .Where(c => double.IsFinite(c.Pre) && double.IsFinite(c.Post)).ToList();
        var de = new double[w.Length];
        var valid = double.IsFinite(tPre) && double.IsFinite(tPost) && double.IsFinite(tNaive) && comps.Count > 0;
        if (!valid)
        {
            Array.Fill(de, double.NaN);
            return new SetSummary(false, set.IndexMonth, tPre, tPost, double.NaN, double.NaN, tNaive, double.NaN, de);
        }

        var cPre = comps.Average(c => c.Pre);
        var cPost = comps.Average(c => c.Post);
        for (var e = 0; e < w.Length; e++)
        {
            var t = set.Treated.Rate(e, e);
            var cs = comps.Select(c => c.Member.Rate(e, e) - c.Pre).Where(double.IsFinite).ToList();
            de[e] = double.IsFinite(t) && cs.Count > 0 ? (t - tPre) - cs.Average() : double.NaN;
        }

        return new SetSummary(true, set.IndexMonth, tPre, tPost, cPre, cPost, tNaive, (tPost - tPre) - (cPost - cPre), de);
    }
}
