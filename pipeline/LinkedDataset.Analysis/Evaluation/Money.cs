namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// The money conventions of an evaluation, each written into the report. Rates are shares (0.1 = 10 %).
/// </summary>
/// <param name="ProgrammeCostPerParticipant">Cost of delivering the programme to one participant (£, incurred in year 0).</param>
/// <param name="HorizonYears">Years over which benefits are counted (year 0 is the first year after the index).</param>
/// <param name="DiscountRate">Green Book social time preference rate (3.5 % a year for the first 30 years); year t is divided by (1 + r)^t.</param>
/// <param name="Deadweight">Share of the change that would have happened anyway. The matched comparison already estimates that, so 0 unless you have reason.</param>
/// <param name="Attribution">Share of the change owed to other organisations or programmes.</param>
/// <param name="Displacement">Share of the change that only moves activity elsewhere (e.g. from A&amp;E to an urgent treatment centre).</param>
/// <param name="DropOff">Share of the effect lost each year after year 0 (year t keeps (1 − drop-off)^t).</param>
/// <param name="PriceYear">Financial year unit costs are restated in (e.g. 2025/26); null keeps the published price year.</param>
public sealed record MoneyAssumptions(
    double ProgrammeCostPerParticipant = 350, int HorizonYears = 1, double DiscountRate = 0.035,
    double Deadweight = 0, double Attribution = 0, double Displacement = 0, double DropOff = 0, string? PriceYear = null)
{
    /// <summary>Throws a message naming the assumption that is out of range.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("deadweight", Deadweight), ("attribution", Attribution), ("displacement", Displacement), ("drop_off", DropOff) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentException($"money.{name} is {value}; it is a share from 0 to 1.");
            }
        }

        if (DiscountRate is < 0 or > 0.2 || double.IsNaN(DiscountRate))
        {
            throw new ArgumentException($"money.discount_rate is {DiscountRate}; allowed 0 to 0.2 (the Green Book rate is 0.035).");
        }

        if (HorizonYears is < 1 or > 30)
        {
            throw new ArgumentException($"money.horizon_years is {HorizonYears}; allowed 1 to 30.");
        }

        if (ProgrammeCostPerParticipant < 0 || double.IsNaN(ProgrammeCostPerParticipant))
        {
            throw new ArgumentException("money.programme_cost_per_participant must be 0 or more (£ per participant).");
        }
    }
}

/// <summary>Savings in one year of the horizon, per participant.</summary>
/// <param name="Year">0 = the first year after the index.</param>
/// <param name="Gross">Gross saving in that year before any adjustment (year 0's figure, from the effect).</param>
/// <param name="Adjusted">After deadweight, attribution, displacement and drop-off.</param>
/// <param name="DiscountFactor">1 / (1 + r)^year.</param>
/// <param name="PresentValue">Adjusted × discount factor.</param>
public sealed record YearSavings(int Year, double Gross, double Adjusted, double DiscountFactor, double PresentValue);

/// <summary>The arithmetic from a first-year saving per participant to ROI and benefit-cost ratio.</summary>
public static class MoneyArithmetic
{
    /// <summary>
    /// Year-by-year present values of a first-year gross saving per participant: adjusted = gross × (1 − deadweight)
    /// × (1 − attribution) × (1 − displacement) × (1 − drop-off)^t, then discounted by (1 + r)^t.
    /// </summary>
    public static IReadOnlyList<YearSavings> Years(double grossFirstYear, MoneyAssumptions a)
    {
        var adjust = (1 - a.Deadweight) * (1 - a.Attribution) * (1 - a.Displacement);
        return Enumerable.Range(0, a.HorizonYears).Select(t =>
        {
            var adjusted = grossFirstYear * adjust * Math.Pow(1 - a.DropOff, t);
            var factor = 1 / Math.Pow(1 + a.DiscountRate, t);
            return new YearSavings(t, grossFirstYear, adjusted, factor, adjusted * factor);
        }).ToList();
    }

    /// <summary>Present value of the savings per participant over the horizon.</summary>
    public static double PresentValue(double grossFirstYear, MoneyAssumptions a) => Years(grossFirstYear, a).Sum(y => y.PresentValue);

    /// <summary>Return on investment: (benefits − cost) / cost; null when the cost is 0.</summary>
    public static double? Roi(double benefits, double cost) => cost > 0 ? (benefits - cost) / cost : null;

    /// <summary>Benefit-cost ratio: benefits / cost; null when the cost is 0.</summary>
    public static double? Bcr(double benefits, double cost) => cost > 0 ? benefits / cost : null;
}
