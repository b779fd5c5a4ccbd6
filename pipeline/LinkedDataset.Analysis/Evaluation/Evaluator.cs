using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using LinkedDataset.Analysis.Statistics;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// Matched-cohort difference-in-differences evaluation of a programme in the <c>intervention</c> feed:
/// risk-set propensity matching, balance and equipoise diagnostics, DiD with group-time effects and an
/// event study, naive before/after beside it, a negative-control outcome, linkage sensitivity and money.
/// </summary>
public static class Evaluator
{
    /// <summary>
    /// Runs <paramref name="spec"/> on a DuckDB connection that has the snapshot's tables as views (a
    /// <c>SandboxedSnapshot</c>, or test views of the same shape) and, when <paramref name="hasPersonYear"/>, the marts'
    /// <c>person_year</c>. <paramref name="reference"/> gives unit costs (default: the shipped reference data).
    /// </summary>
    public static EvaluationResult Evaluate(DuckDBConnection db, EvaluationSpec spec, string source, bool hasPersonYear, MartReference? reference = null)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = spec.Outcomes.Select(o => OutcomeCatalogue.Get(o, "outcomes")).ToList();
        var negative = spec.NegativeControl is { } nc ? OutcomeCatalogue.Get(nc, "negative_control") : null;
        var covariates = spec.Covariates.Select(c => CovariateCatalogue.Get(c, "covariates")).ToList();
        if (!hasPersonYear && covariates.FirstOrDefault(c => c.Source == CovariateSource.PersonYear) is { } needsMarts)
        {
            throw new PipelineException($"Covariate '{needsMarts.Name}' comes from the marts' person_year, which this snapshot does not have yet: run 'ldp marts' first, or leave it out.");
        }

        var needed = outcomes.Concat(negative is null ? [] : [negative])
            .Concat(covariates.Where(c => c.Source == CovariateSource.PriorUse).Select(c => OutcomeCatalogue.All[c.Sql]))
            .DistinctBy(o => o.Name).ToList();

        var (dataFirst, dataLast) = EvaluationData.DataWindow(db);
        var firstIndex = Math.Max(dataFirst - spec.Windows.First, spec.IndexFrom is { } f ? ParseMonth(f, "index_from") : int.MinValue);
        var lastIndex = Math.Min(dataLast - spec.Windows.Last, spec.IndexTo is { } t ? ParseMonth(t, "index_to") : int.MaxValue);
        if (firstIndex > lastIndex)
        {
            throw new PipelineException(
                $"No index month has its whole window in the data: the data run from {EvaluationData.MonthLabel(dataFirst)} to {EvaluationData.MonthLabel(dataLast)} " +
                $"and the windows need {-spec.Windows.First} months before and {spec.Windows.Last} after the index month. Shorten the windows or use a longer snapshot.");
        }

        EvaluationData.Build(db, spec, firstIndex, lastIndex, needed, covariates, hasPersonYear);
        var members = EvaluationData.ReadMembers(db, covariates.Count);
        var treated = members.Where(m => m.Treated).ToList();
        var pool = members.Where(m => !m.Treated).ToList();
        if (treated.Count == 0)
        {
            throw new PipelineException(
                $"No one in programme '{spec.Programme}' has an index date ({spec.Index}) from {EvaluationData.MonthLabel(firstIndex)} to {EvaluationData.MonthLabel(lastIndex)} and meets the eligibility rules.");
        }

        if (pool.Count == 0)
        {
            throw new PipelineException("The comparison pool is empty: nobody eligible was left unreferred at the treated people's index months.");
        }

        // Propensity: every treated row and a seeded sample of comparator rows; every row scored.
        var random = new Random(spec.Seed);
        var sampleSize = Math.Max(0, spec.PropensityMaxRows - treated.Count);
        var sample = pool.Count <= sampleSize ? pool : pool.OrderBy(_ => random.Next()).Take(sampleSize).ToList();
        var rows = treated.Concat(sample).Select(m => m.Covariates.Append(m.Treated ? 1.0 : 0.0).ToArray()).ToList();
        var (intercept, coefficients, iterations) = RidgeLogisticRegression.Fit(rows, spec.PropensityLambda);
        double Logit(MemberRow m)
        {
            var eta = intercept;
            for (var i = 0; i < coefficients.Length; i++)
            {
                eta += coefficients[i] * m.Covariates[i];
            }

            return eta;
        }

        string Stratum(MemberRow m) => string.Join("|", spec.ExactOn.Select(e => e == "sex" ? m.Sex : AgeBand(m.Age)));
        var treatedCandidates = treated.Select(m => new MatchCandidate(m.PersonId, m.IndexMonth, Stratum(m), Logit(m))).ToList();
        var poolCandidates = pool.Select(m => new MatchCandidate(m.PersonId, m.IndexMonth, Stratum(m), Logit(m))).ToList();
        var matching = NearestNeighbourMatcher.Match(treatedCandidates, poolCandidates, spec.Matching);
        if (matching.Sets.Count == 0)
        {
            throw new PipelineException($"No treated person had a comparator within the caliper ({spec.Matching.CaliperSd} SD of the logit): widen the caliper or drop exact matching.");
        }

        var byKey = members.ToDictionary(m => (m.PersonId, m.IndexMonth, m.Treated));
        var balance = BalanceTable(covariates, treated, pool, matching, byKey);
        var equipoise = Equipoise(treatedCandidates, poolCandidates);

        // Series per matched member, per outcome and link variant.
        var matched = new List<(int Set, int Member, long PersonId, int IndexMonth, DateOnly Censor)>();
        foreach (var set in matching.Sets)
        {
            matched.Add((set.SetId, 0, set.TreatedId, set.IndexMonth, byKey[(set.TreatedId, set.IndexMonth, true)].CensorDate));
            for (var c = 0; c < set.ComparatorIds.Count; c++)
            {
                matched.Add((set.SetId, c + 1, set.ComparatorIds[c], set.IndexMonth, byKey[(set.ComparatorIds[c], set.IndexMonth, false)].CensorDate));
            }
        }

        var w = spec.Windows;
        var counts = EvaluationData.ReadSeries(db, matched, w);
        var index = matched.Select((m, i) => (m, i)).ToDictionary(p => (p.m.Set, p.m.Member), p => p.i);
        var exposures = matched.Select(m => Exposure(m.IndexMonth, m.Censor, w)).ToArray();
        var draws = DifferenceInDifferences.BootstrapDraws(matching.Sets.Count, spec.Replicates, spec.Seed);
        var costs = reference ?? MartReference.Load();
        var priceYear = spec.Money.PriceYear;
        OutcomeResult Estimate(OutcomeMeasure o)
        {
            var variants = new OutcomeEstimate[3];
            for (var v = 0; v < 3; v++)
            {
                var series = matched.Select(m => new double[w.Length]).ToArray();
                foreach (var row in counts.Where(r => r.Outcome == o.Name))
                {
                    series[index[(row.Set, row.Member)]][row.Month - w.First] += v switch { 0 => row.All, 1 => row.Certain, _ => row.Weighted };
                }

                var sets = matching.Sets.Select(s =>
                {
                    var members = Enumerable.Range(0, s.ComparatorIds.Count + 1).Select(k =>
                    {
                        var i = index[(s.SetId, k)];
                        return new MemberSeries(series[i], exposures[i]);
                    }).ToList();
                    return new SetSeries(s.IndexMonth, members[0], members.Skip(1).ToList());
                }).ToList();
                variants[v] = DifferenceInDifferences.Estimate(sets, w, draws);
            }

            var unit = costs.Cost(o.UnitCostItem);
            var cost = (double)costs.Restate(unit.PriceYear, priceYear) * (double)unit.CostGbp;
            return new OutcomeResult(o, variants[0], variants[1], variants[2], cost, priceYear ?? unit.PriceYear);
        }

        var results = outcomes.Select(Estimate).ToList();
        var negativeResult = negative is null ? null : Estimate(negative);
        var money = Money(spec, results, matching.Sets.Count, costs);
        var diagnostics = Diagnostics(spec, balance, equipoise, matching, negativeResult);
        var poolLogit = poolCandidates.ToDictionary(c => (c.PersonId, c.IndexMonth), c => c.Logit);
        var distributions = new List<(string, double[], double[])>
        {
            ("before matching", treatedCandidates.Select(t => t.Logit).ToArray(), poolCandidates.Select(c => c.Logit).ToArray()),
            ("after matching", matching.Sets.Select(s => s.TreatedLogit).ToArray(),
                matching.Sets.SelectMany(s => s.ComparatorIds.Select(id => poolLogit[(id, s.IndexMonth)])).ToArray()),
        };
        return new EvaluationResult(
            spec, source, EvaluationData.MonthLabel(firstIndex), EvaluationData.MonthLabel(lastIndex), treated.Count, pool.Count, matching,
            new PropensityModel(intercept, covariates.Select((c, i) => (c.Name, coefficients[i])).ToList(), rows.Count, iterations, spec.PropensityLambda),
            balance, equipoise, diagnostics, results, negativeResult, money, distributions, clock.Elapsed);
    }

    /// <summary>Age bands for exact matching.</summary>
    public static string AgeBand(int age) => age switch { < 18 => "0-17", < 45 => "18-44", < 65 => "45-64", < 75 => "65-74", < 85 => "75-84", _ => "85+" };

    /// <summary>Share of each relative month a member was followed: whole months before the censor date, part of the month it falls in.</summary>
    public static double[] Exposure(int indexMonth, DateOnly censor, EventWindows w)
    {
        var exposure = new double[w.Length];
        for (var e = 0; e < w.Length; e++)
        {
            var start = EvaluationData.MonthStart(indexMonth + w.First + e);
            var end = start.AddMonths(1);
            var days = end.DayNumber - start.DayNumber;
            var followed = Math.Clamp((Math.Min(censor.DayNumber, end.DayNumber) - start.DayNumber) / (double)days, 0, 1);
            exposure[e] = followed;
        }

        return exposure;
    }

    private static int ParseMonth(string text, string field) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? EvaluationData.MonthIndex(d)
            : throw new PipelineException($"{field} is '{text}'; write a month as YYYY-MM.");

    private static List<CovariateBalance> BalanceTable(
        IReadOnlyList<Covariate> covariates, List<MemberRow> treated, List<MemberRow> pool, MatchingResult matching,
        Dictionary<(long, int, bool), MemberRow> byKey)
    {
        // After matching: treated people kept, and comparators weighted 1/(comparators in the set), as they enter the estimate.
        var matchedTreated = matching.Sets.Select(s => byKey[(s.TreatedId, s.IndexMonth, true)]).ToList();
        var matchedComparators = matching.Sets.SelectMany(s => s.ComparatorIds.Select(id => (Row: byKey[(id, s.IndexMonth, false)], Weight: 1.0 / s.ComparatorIds.Count))).ToList();
        return covariates.Select((c, i) =>
        {
            var t = treated.Select(m => m.Covariates[i]).ToArray();
            var p = pool.Select(m => m.Covariates[i]).ToArray();
            var sd = Balance.PooledSd(t, p);
            var tAfter = matchedTreated.Average(m => m.Covariates[i]);
            var cAfter = Balance.WeightedMean(matchedComparators.Select(m => m.Row.Covariates[i]).ToArray(), matchedComparators.Select(m => m.Weight).ToArray());
            return new CovariateBalance(c.Name, tAfter, p.Average(), cAfter, Balance.Smd(t.Average(), p.Average(), sd), Balance.Smd(tAfter, cAfter, sd));
        }).ToList();
    }

    /// <summary>
    /// Share of treated and comparator rows whose preference score (the propensity score with the treated share
    /// taken out: logit F = logit S − logit P; Walker et al. 2013, as OHDSI CohortMethod reports it) lies in 0.3–0.7.
    /// </summary>
    public static double Equipoise(IReadOnlyList<MatchCandidate> treated, IReadOnlyList<MatchCandidate> comparators)
    {
        var p = treated.Count / (double)(treated.Count + comparators.Count);
        var shift = Math.Log(p / (1 - p));
        var inRange = treated.Concat(comparators).Count(c =>
        {
            var f = 1 / (1 + Math.Exp(-(c.Logit - shift)));
            return f is >= 0.3 and <= 0.7;
        });
        return inRange / (double)(treated.Count + comparators.Count);
    }

    private static List<Diagnostic> Diagnostics(EvaluationSpec spec, List<CovariateBalance> balance, double equipoise, MatchingResult matching, OutcomeResult? negative)
    {
        var worst = balance.MaxBy(b => Math.Abs(b.SmdAfter))!;
        var dropShare = matching.DroppedByCaliper / (double)matching.Treated;
        var list = new List<Diagnostic>
        {
            new("balance", $"largest |SMD| after matching {Math.Abs(worst.SmdAfter):F3} ({worst.Covariate})", $"every covariate |SMD| < {Balance.Threshold}", balance.All(b => b.Balanced)),
            new("equipoise", $"{equipoise:P1} of people have a preference score in 0.3–0.7", $"at least {spec.MinimumEquipoise:P0}", equipoise >= spec.MinimumEquipoise),
            new("caliper", $"{matching.DroppedByCaliper} of {matching.Treated} treated people ({dropShare:P1}) had no comparator within {spec.Matching.CaliperSd} SD of the logit",
                "at most 10 % dropped (more and the estimate describes a different population)", dropShare <= 0.10),
        };
        if (negative is not null)
        {
            var e = negative.All.Effect;
            list.Add(new Diagnostic("negative control", $"{negative.Measure.Label}: effect {e.Value:F3} per person-year (95 % interval {e.Lower:F3} to {e.Upper:F3})",
                "the interval contains 0", e.Contains(0)));
        }

        return list;
    }

    private static MoneyResult Money(EvaluationSpec spec, List<OutcomeResult> results, int participants, MartReference reference)
    {
        var a = spec.Money;
        double Gross(Func<OutcomeResult, double> effect) => results.Sum(r => -effect(r) * r.UnitCost);
        var gross = Gross(r => r.All.Effect.Value);
        var replicates = Enumerable.Range(0, spec.Replicates).Select(b => Gross(r => r.All.EffectReplicates[b])).ToArray();
        var pv = MoneyArithmetic.PresentValue(gross, a);
        var pvReps = replicates.Select(g => MoneyArithmetic.PresentValue(g, a)).ToArray();
        var cost = a.ProgrammeCostPerParticipant;
        Estimate? Ratio(Func<double, double, double?> f) => f(pv, cost) is { } value
            ? Estimate.From(value, pvReps.Select(v => f(v, cost) ?? double.NaN).ToArray())
            : null;
        return new MoneyResult(
            a, results.FirstOrDefault()?.PriceYear ?? "", reference.UnitCostVersion, participants,
            Estimate.From(gross, replicates), MoneyArithmetic.Years(gross, a), Estimate.From(pv, pvReps),
            Estimate.From(pv * participants, pvReps.Select(v => v * participants).ToArray()), cost * participants,
            Ratio(MoneyArithmetic.Roi), Ratio(MoneyArithmetic.Bcr));
    }
}
