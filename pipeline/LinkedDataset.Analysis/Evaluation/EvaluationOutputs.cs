using System.Globalization;
using System.Text;
using LinkedDataset.Pipeline.Disclosure;

namespace LinkedDataset.Analysis.Evaluation;

/// <summary>What was written, and where.</summary>
public sealed record EvaluationFiles(string Folder, IReadOnlyList<string> Files);

/// <summary>
/// Writes an evaluation's CSV files and plain-language summary. Every count of people passes disclosure
/// control (<see cref="DisclosureControl.ProtectCount"/>); an estimate over a group whose count is suppressed
/// is suppressed with it. Estimates are means over many people and are released as they are.
/// </summary>
public static class EvaluationOutputs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes <c>estimates.csv</c>, <c>balance.csv</c>, <c>event_study.csv</c>, <c>cohorts.csv</c>, <c>money.csv</c>, <c>diagnostics.csv</c> and <c>summary.md</c>.</summary>
    public static EvaluationFiles Write(EvaluationResult r, string folder, SdcPolicy policy)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Csv(string name, string header, IEnumerable<string> lines)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, header + "\n" + string.Join("", lines.Select(l => l + "\n")));
            files.Add(path);
        }

        string N(long count) => DisclosureControl.ProtectCount(count, policy) is { } c ? c.ToString(Inv) : "";
        string F(double? v, string format = "F4") => v is { } x && double.IsFinite(x) ? x.ToString(format, Inv) : "";
        string Row(params string[] cells) => string.Join(",", cells.Select(c => c.Contains(',', StringComparison.Ordinal) || c.Contains('"', StringComparison.Ordinal) ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c));

        var all = r.Outcomes.Select(o => (o, Role: "outcome")).Concat(r.NegativeControl is { } nc ? [(nc, "negative_control")] : []).ToList();
        Csv("estimates.csv", "outcome,role,linkage,matched_sets,treated_pre,treated_post,comparator_pre,comparator_post,effect_per_person_year,effect_lower,effect_upper,rate_ratio,rate_ratio_lower,rate_ratio_upper,naive_before_after,naive_lower,naive_upper,naive_rate_ratio",
            all.SelectMany(p => new[] { ("all links", p.o.All), ("certain links only", p.o.Certain), ("weighted by match probability", p.o.Weighted) }.Select(v =>
            {
                var e = v.Item2;
                var suppressed = DisclosureControl.ProtectCount(e.Sets, policy) is null;
                return suppressed
                    ? Row(p.o.Measure.Name, p.Role, v.Item1, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "")
                    : Row(p.o.Measure.Name, p.Role, v.Item1, N(e.Sets), F(e.TreatedPre), F(e.TreatedPost), F(e.ComparatorPre), F(e.ComparatorPost),
                        F(e.Effect.Value), F(e.Effect.Lower), F(e.Effect.Upper), F(e.RateRatio.Value), F(e.RateRatio.Lower), F(e.RateRatio.Upper),
                        F(e.Naive.Value), F(e.Naive.Lower), F(e.Naive.Upper), F(e.NaiveRateRatio.Value));
            })));
        Csv("balance.csv", "covariate,treated_mean,comparator_mean_before,comparator_mean_after,smd_before,smd_after,balanced",
            r.Balance.Select(b => Row(b.Covariate, F(b.TreatedMean), F(b.ComparatorMeanBefore), F(b.ComparatorMeanAfter), F(b.SmdBefore), F(b.SmdAfter), b.Balanced ? "yes" : "no")));
        Csv("event_study.csv", "outcome,month_since_index,matched_sets,effect_per_person_year,lower,upper",
            all.SelectMany(p => p.o.All.EventStudy.Select(e => DisclosureControl.ProtectCount(e.Sets, policy) is null
                ? Row(p.o.Measure.Name, e.Month.ToString(Inv), "", "", "", "")
                : Row(p.o.Measure.Name, e.Month.ToString(Inv), N(e.Sets), F(e.Effect.Value), F(e.Effect.Lower), F(e.Effect.Upper)))));
        Csv("cohorts.csv", "outcome,index_month,matched_sets,effect_per_person_year,lower,upper",
            all.SelectMany(p => p.o.All.Cohorts.Select(c => DisclosureControl.ProtectCount(c.Sets, policy) is null
                ? Row(p.o.Measure.Name, EvaluationData.MonthLabel(c.IndexMonth), "", "", "", "")
                : Row(p.o.Measure.Name, EvaluationData.MonthLabel(c.IndexMonth), N(c.Sets), F(c.Effect.Value), F(c.Effect.Lower), F(c.Effect.Upper)))));
        var m = r.Money;
        Csv("money.csv", "measure,value,lower,upper,unit",
        [
            Row("participants (matched treated)", N(m.Participants), "", "", "people"),
            .. r.Outcomes.Select(o => Row($"unit cost: {o.Measure.Label} ({o.Measure.UnitCostItem})", F(o.UnitCost, "F2"), "", "", $"£ ({o.PriceYear} prices)")),
            Row("gross saving per participant, first year", F(m.GrossFirstYearPerParticipant.Value, "F2"), F(m.GrossFirstYearPerParticipant.Lower, "F2"), F(m.GrossFirstYearPerParticipant.Upper, "F2"), "£"),
            .. m.Years.Select(y => Row($"year {y.Year}: adjusted saving per participant (discount factor {y.DiscountFactor:F4})", F(y.Adjusted, "F2"), "", "", "£")),
            Row("present value of savings per participant", F(m.PresentValuePerParticipant.Value, "F2"), F(m.PresentValuePerParticipant.Lower, "F2"), F(m.PresentValuePerParticipant.Upper, "F2"), "£"),
            Row("programme cost per participant", F(m.Assumptions.ProgrammeCostPerParticipant, "F2"), "", "", "£"),
            Row("return on investment (savings - cost) / cost", F(m.Roi?.Value), F(m.Roi?.Lower), F(m.Roi?.Upper), "ratio"),
            Row("benefit-cost ratio", F(m.Bcr?.Value), F(m.Bcr?.Lower), F(m.Bcr?.Upper), "ratio"),
        ]);
        Csv("diagnostics.csv", "diagnostic,value,rule,result", r.Diagnostics.Select(d => Row(d.Name, d.Value, d.Rule, d.Pass ? "pass" : "FAIL")));
        var summary = Path.Combine(folder, "summary.md");
        File.WriteAllText(summary, Summary(r, policy));
        files.Add(summary);
        return new EvaluationFiles(folder, files);
    }

    /// <summary>The plain-language summary with the conventions and caveats.</summary>
    public static string Summary(EvaluationResult r, SdcPolicy policy)
    {
        var s = new StringBuilder();
        var people = DisclosureControl.ProtectCount(r.Matching.Sets.Count, policy);
        s.AppendLine(CultureInfo.InvariantCulture, $"# {r.Spec.Name}");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Source: {r.Source}. Index months {r.FirstIndexMonth} to {r.LastIndexMonth} ({r.Spec.Index}). Disclosure control: {policy.Describe()}.");
        s.AppendLine();
        s.AppendLine("## What we found");
        s.AppendLine();
        var peopleText = people is { } p ? p.ToString("N0", CultureInfo.InvariantCulture) : "Fewer than " + (policy.SuppressAtOrBelow + 1);
        s.AppendLine(CultureInfo.InvariantCulture, $"{peopleText} people who took part were each compared with up to {r.Spec.Matching.Ratio} similar people who had not been referred at the same date (matched on {string.Join(", ", r.Spec.Covariates)}).");
        foreach (var o in r.Outcomes.Append(r.NegativeControl).OfType<OutcomeResult>())
        {
            var e = o.All;
            var direction = e.Effect.Value < 0 ? "fewer" : "more";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"- **{o.Measure.Label}**{(o == r.NegativeControl ? " (negative control: the programme should not change it)" : "")}: {Math.Abs(e.Effect.Value):F3} {direction} per person per year (95 % interval {e.Effect.Lower:F3} to {e.Effect.Upper:F3}); rate ratio {e.RateRatio.Value:F2} ({e.RateRatio.Lower:F2} to {e.RateRatio.Upper:F2}). A naive before/after would have said {e.Naive.Value:F3} (rate ratio {e.NaiveRateRatio.Value:F2}).");
        }

        var m = r.Money;
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"Savings: £{m.GrossFirstYearPerParticipant.Value:F0} per participant in the first year (95 % interval £{m.GrossFirstYearPerParticipant.Lower:F0} to £{m.GrossFirstYearPerParticipant.Upper:F0}); present value £{m.PresentValuePerParticipant.Value:F0} over {m.Assumptions.HorizonYears} year(s) against a programme cost of £{m.Assumptions.ProgrammeCostPerParticipant:F0}: return on investment {m.Roi?.Value:F2} ({m.Roi?.Lower:F2} to {m.Roi?.Upper:F2}), benefit-cost ratio {m.Bcr?.Value:F2} ({m.Bcr?.Lower:F2} to {m.Bcr?.Upper:F2}). These are cost savings to the NHS, not cashable savings: freed capacity is usually used by other patients.");
        s.AppendLine();
        s.AppendLine("## Diagnostics");
        s.AppendLine();
        foreach (var d in r.Diagnostics)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- {(d.Pass ? "pass" : "**FAIL**")} {d.Name}: {d.Value} (rule: {d.Rule}).");
        }

        s.AppendLine();
        s.AppendLine("## Conventions");
        s.AppendLine();
        var w = r.Spec.Windows;
        s.AppendLine(CultureInfo.InvariantCulture, $"- Windows in months from the index month: before {w.PreFrom} to {w.PreTo}, after {w.PostFrom} to {w.PostTo}; the months between are left out because referral follows a crisis in use (regression to the mean). The naive before/after uses {w.NaivePreFrom} to {w.NaivePreTo}. Rates are events per person-year of follow-up.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Matching: ridge logistic propensity score (λ {r.Spec.PropensityLambda}), nearest neighbour on the logit, 1:{r.Spec.Matching.Ratio}, caliper {r.Spec.Matching.CaliperSd} SD of the logit ({r.Matching.Caliper:F3}), {(r.Spec.Matching.Replacement ? "with" : "without")} replacement{(r.Spec.ExactOn.Count > 0 ? ", exact on " + string.Join(" and ", r.Spec.ExactOn) : "")}. Comparators are eligible at the treated person's index month and are followed until they are referred themselves, die or leave (risk-set matching).");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Effect: difference-in-differences per matched set, averaged per referral cohort (index month) and over cohorts weighted by size; 95 % intervals are percentiles of {r.Spec.Replicates} bootstrap replicates resampling matched sets (seed {r.Spec.Seed}).");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Money: effect × unit cost ({m.UnitCostVersion}, {m.PriceYear} prices); deadweight {m.Assumptions.Deadweight:P0}, attribution {m.Assumptions.Attribution:P0}, displacement {m.Assumptions.Displacement:P0}, drop-off {m.Assumptions.DropOff:P0} a year after the first; discounted at {m.Assumptions.DiscountRate:P1} a year (HM Treasury Green Book), year 0 undiscounted. ROI = (present value − cost) / cost; BCR = present value / cost.");
        s.AppendLine("- Linkage: the estimate is repeated leaving out activity linked with an uncertain match or to a provisional person, and weighting activity by its match probability (estimates.csv); the people themselves are not re-matched.");
        s.AppendLine();
        s.AppendLine("## Caveats");
        s.AppendLine();
        s.AppendLine("- Matching balances what is measured. Anything that drives both referral and use but is not in the data (motivation, a crisis the record does not show) can still bias the estimate; the negative control and the pre-period months of the event study are checks, not proof.");
        s.AppendLine("- Linkage errors move activity between people; the linkage sensitivity rows show how much that matters here.");
        s.AppendLine("- The estimate is about the people who took part and were matched, in this place and period; other populations or a scaled-up programme may differ.");
        return s.ToString();
    }
}
