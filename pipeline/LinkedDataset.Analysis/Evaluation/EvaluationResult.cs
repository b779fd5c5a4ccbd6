namespace LinkedDataset.Analysis.Evaluation;

/// <summary>A diagnostic that passes or fails, with the figure and the rule.</summary>
public sealed record Diagnostic(string Name, string Value, string Rule, bool Pass);

/// <summary>One outcome's estimates: on every linked row, without uncertain or provisional links, and weighted by match probability.</summary>
public sealed record OutcomeResult(OutcomeMeasure Measure, OutcomeEstimate All, OutcomeEstimate Certain, OutcomeEstimate Weighted, double UnitCost, string PriceYear);

/// <summary>Savings, programme cost, ROI and BCR per participant and in total, with bootstrap intervals.</summary>
/// <param name="Assumptions">The conventions used.</param>
/// <param name="PriceYear">Price year of the unit costs.</param>
/// <param name="UnitCostVersion">Version of the unit cost reference data.</param>
/// <param name="Participants">Matched treated people (the participants the estimate is about).</param>
/// <param name="GrossFirstYearPerParticipant">Σ over outcomes of −effect × unit cost: £ per participant in the first year.</param>
/// <param name="Years">Year-by-year adjusted and discounted savings per participant.</param>
/// <param name="PresentValuePerParticipant">Present value of savings per participant over the horizon.</param>
/// <param name="TotalPresentValue">Per participant × participants.</param>
/// <param name="TotalProgrammeCost">Programme cost per participant × participants.</param>
/// <param name="Roi">(present value − cost) / cost; null when the programme cost is 0.</param>
/// <param name="Bcr">Present value / cost; null when the programme cost is 0.</param>
public sealed record MoneyResult(
    MoneyAssumptions Assumptions, string PriceYear, string UnitCostVersion, int Participants,
    Estimate GrossFirstYearPerParticipant, IReadOnlyList<YearSavings> Years, Estimate PresentValuePerParticipant,
    Estimate TotalPresentValue, double TotalProgrammeCost, Estimate? Roi, Estimate? Bcr);

/// <summary>The propensity model: coefficients on the original scale of each covariate.</summary>
public sealed record PropensityModel(double Intercept, IReadOnlyList<(string Covariate, double Coefficient)> Coefficients, int FittedRows, int Iterations, double Lambda);

/// <summary>Everything an evaluation found; what the report and CSV files show.</summary>
public sealed record EvaluationResult(
    EvaluationSpec Spec,
    string Source,
    string FirstIndexMonth,
    string LastIndexMonth,
    int TreatedEligible,
    int ComparatorRows,
    MatchingResult Matching,
    PropensityModel Propensity,
    IReadOnlyList<CovariateBalance> Balance,
    double Equipoise,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<OutcomeResult> Outcomes,
    OutcomeResult? NegativeControl,
    MoneyResult Money,
    IReadOnlyList<(string Label, double[] TreatedLogits, double[] ComparatorLogits)> PropensityDistributions,
    TimeSpan Elapsed);
