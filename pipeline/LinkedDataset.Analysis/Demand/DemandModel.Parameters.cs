using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace LinkedDataset.Analysis.Demand;

/// <summary>The lever values of one run: the principal run takes midpoints, a Monte Carlo run draws each interval.</summary>
public sealed record RunParameters(
    int Variant, double HealthyAgeing, IReadOnlyList<double> Prevalence, IReadOnlyList<double> Avoidance,
    IReadOnlyList<double> ShiftShare, IReadOnlyList<IReadOnlyList<double>> ShiftPerUnit,
    IReadOnlyList<double> Reach, IReadOnlyList<double> Effect, double RealGrowth)
{
    /// <summary>The principal run: every lever at its midpoint, the most heavily weighted projection variant (the first on a tie).</summary>
    public static RunParameters Principal(Scenario s)
    {
        var variant = 0;
        for (var i = 1; i < s.Projections.Count; i++)
        {
            variant = s.Projections[i].Weight > s.Projections[variant].Weight ? i : variant;
        }

        return new RunParameters(
            variant, s.HealthyAgeing?.Share.Mid ?? 0, s.Prevalence.Select(p => p.Change.Mid).ToList(), s.Avoidance.Select(a => a.Share.Mid).ToList(),
            s.Shifts.Select(x => x.Share.Mid).ToList(), s.Shifts.Select(x => (IReadOnlyList<double>)x.To.Select(t => t.PerUnit.Mid).ToList()).ToList(),
            s.Interventions.Select(i => i.Reach.Mid).ToList(), s.Interventions.Select(i => i.Effect.Mid).ToList(), s.Costs.RealGrowth.Mid);
    }

    /// <summary>
    /// One Monte Carlo draw, in a fixed order from <paramref name="random"/>: the variant (by weight), then each
    /// interval as a normal with sd = (hi − lo) / 2.563 (a point draws nothing). Shares and reach are kept in
    /// [0, 1], a prevalence change above −1, conversion rates at or above 0.
    /// </summary>
    public static RunParameters Draw(Scenario s, System.Random random)
    {
        var total = s.Projections.Sum(p => p.Weight);
        var pick = random.NextDouble() * total;
        var variant = s.Projections.Count - 1;
        var accumulated = 0.0;
        for (var i = 0; i < s.Projections.Count; i++)
        {
            accumulated += s.Projections[i].Weight;
            if (pick < accumulated)
            {
                variant = i;
                break;
            }
        }

        double Sample(Interval i) => i.Sd == 0 ? i.Mid : Normal.Sample(random, i.Mid, i.Sd);
        double Share(Interval i) => Math.Clamp(Sample(i), 0, 1);
        return new RunParameters(
            variant,
            s.HealthyAgeing is { } h ? Share(h.Share) : 0,
            s.Prevalence.Select(p => Math.Max(Sample(p.Change), -1)).ToList(),
            s.Avoidance.Select(a => Share(a.Share)).ToList(),
            s.Shifts.Select(x => Share(x.Share)).ToList(),
            s.Shifts.Select(x => (IReadOnlyList<double>)x.To.Select(t => Math.Max(Sample(t.PerUnit), 0)).ToList()).ToList(),
            s.Interventions.Select(i => Share(i.Reach)).ToList(),
            s.Interventions.Select(i => Math.Clamp(Sample(i.Effect), -1, 1)).ToList(),
            Sample(s.Costs.RealGrowth));
    }

    /// <summary>The generator for parameters of a seeded model: MathNet's Mersenne Twister.</summary>
    public static System.Random Random(int seed) => new MersenneTwister(seed, threadSafe: false);
}
