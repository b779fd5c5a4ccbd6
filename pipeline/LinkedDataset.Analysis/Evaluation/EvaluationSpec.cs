namespace LinkedDataset.Analysis.Evaluation;

/// <summary>
/// An evaluation definition (<c>schemas/evaluations/*.yaml</c>): data, not SQL. Every name in it is looked
/// up in a fixed catalogue (<see cref="OutcomeCatalogue"/>, <see cref="CovariateCatalogue"/>) and every value
/// is validated, so the SQL that runs is ours.
/// </summary>
public sealed record EvaluationSpec
{
    /// <summary>Title of the report.</summary>
    public string Name { get; init; } = "Evaluation";

    /// <summary>Programme code in the <c>intervention</c> feed (e.g. SP for social prescribing).</summary>
    public string Programme { get; init; } = "SP";

    /// <summary>Which date is the index: <c>start_date</c> (first session; people who never start are not treated) or <c>referral_date</c>.</summary>
    public string Index { get; init; } = "start_date";

    /// <summary>First index month evaluated (YYYY-MM); default the first one whose windows fit the data.</summary>
    public string? IndexFrom { get; init; }

    /// <summary>Last index month evaluated (YYYY-MM); default the last one whose windows fit the data.</summary>
    public string? IndexTo { get; init; }

    /// <summary>Youngest age (years at the index month) of treated people and comparators.</summary>
    public int MinAge { get; init; } = 18;

    /// <summary>Oldest age; default none.</summary>
    public int? MaxAge { get; init; }

    /// <summary>Windows in months relative to the index month.</summary>
    public EventWindows Windows { get; init; } = new();

    /// <summary>Covariates of the propensity score and the balance table (names from <see cref="CovariateCatalogue"/>).</summary>
    public IReadOnlyList<string> Covariates { get; init; } = ["age", "female", "imd_quintile", "prior_ae_attendances", "prior_gp_appointments", "prior_emergency_admissions", "prior_outpatient_attendances"];

    /// <summary>Outcomes (names from <see cref="OutcomeCatalogue"/>).</summary>
    public IReadOnlyList<string> Outcomes { get; init; } = ["ae_attendances", "gp_appointments", "emergency_admissions"];

    /// <summary>An outcome the programme cannot plausibly change, estimated as a bias check (its interval should contain 0).</summary>
    public string? NegativeControl { get; init; } = "outpatient_attendances";

    /// <summary>Matching: ratio, caliper, replacement.</summary>
    public MatchingOptions Matching { get; init; } = new();

    /// <summary>Exact matching on any of <c>sex</c> and <c>age_band</c>.</summary>
    public IReadOnlyList<string> ExactOn { get; init; } = [];

    /// <summary>Ridge penalty of the propensity model (on standardised covariates).</summary>
    public double PropensityLambda { get; init; } = 1.0;

    /// <summary>Most rows the propensity model is fitted on (every treated row plus a seeded sample of comparator rows); all rows are scored.</summary>
    public int PropensityMaxRows { get; init; } = 200_000;

    /// <summary>Most comparator rows kept per treated person in each index month (a seeded sample of the eligible pool); 0 keeps every eligible row.</summary>
    public int PoolPerTreated { get; init; }

    /// <summary>Bootstrap replicates (resampling matched sets); 0 gives no intervals.</summary>
    public int Replicates { get; init; } = 200;

    /// <summary>Seed of the bootstrap and of every sample.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Money: unit costs, programme cost, SROI adjustments and discounting.</summary>
    public MoneyAssumptions Money { get; init; } = new();

    /// <summary>Share of people with a preference score between 0.3 and 0.7 below which the equipoise diagnostic fails.</summary>
    public double MinimumEquipoise { get; init; } = 0.2;
}
