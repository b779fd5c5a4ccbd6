namespace LinkedDataset.Analysis.Demand;

/// <summary>What the baseline rates are split by, besides age band and sex.</summary>
public enum BaselineSplit
{
    /// <summary>Age band × sex only.</summary>
    None,

    /// <summary>× eFI category (fit, mild, moderate, severe).</summary>
    EfiCategory,

    /// <summary>× IMD 2019 quintile (1 = most deprived … 5).</summary>
    ImdQuintile,

    /// <summary>× Bridges to Health segment.</summary>
    Segment,
}

/// <summary>A projection variant: population files in the ONS SNPP layout and the weight of the variant across Monte Carlo runs.</summary>
public sealed record ProjectionVariant(string Name, IReadOnlyList<string> Files, double Weight);

/// <summary>Which people-years the rates come from and how small cells are pooled.</summary>
/// <param name="Years">Last complete financial years pooled for the rates (the base year is the last of them).</param>
/// <param name="Split">Extra split of the rates.</param>
/// <param name="PoolBelowPersonYears">A cell with fewer person-years takes its rate from the next pooled level.</param>
public sealed record BaselineSpec(int Years, BaselineSplit Split, double PoolBelowPersonYears);

/// <summary>
/// Which cells a lever applies to: split values (empty = all) and age bands (empty = all).
/// </summary>
public sealed record CellFilter(IReadOnlyList<string> Segments, IReadOnlyList<string> AgeBands)
{
    /// <summary>Every cell.</summary>
    public static CellFilter All { get; } = new([], []);

    /// <summary>True when the lever applies to a cell of <paramref name="ageBand"/> and split value <paramref name="segment"/>.</summary>
    public bool Matches(string ageBand, string segment) =>
        (Segments.Count == 0 || Segments.Contains(segment)) && (AgeBands.Count == 0 || AgeBands.Contains(ageBand));
}

/// <summary>
/// Healthy ageing: by the horizon people of age a use services as people of age a − h × ΔLE did in the base
/// year, where ΔLE is the gain in life expectancy since then (years per year × years elapsed) and h the share
/// of extra years lived in good health (0 = none: all extra years in poor health; 1 = all healthy).
/// </summary>
public sealed record HealthyAgeing(Interval Share, double LifeExpectancyGainPerYearMale, double LifeExpectancyGainPerYearFemale, int FromAge);

/// <summary>Relative change by the horizon in the share of people in some split values (e.g. eFI moderate and severe), others rescaled so shares still sum to 1.</summary>
public sealed record PrevalenceChange(CellFilter Cells, Interval Change);

/// <summary>A share of a setting's activity avoided by the horizon in the cells given (binomial thinning).</summary>
public sealed record Avoidance(string Setting, CellFilter Cells, Interval Share);

/// <summary>A destination of a shift: units of <paramref name="Setting"/> per unit of activity moved.</summary>
public sealed record ShiftTarget(string Setting, Interval PerUnit);

/// <summary>A share of a setting's activity moved to other settings by the horizon.</summary>
public sealed record Shift(string From, IReadOnlyList<ShiftTarget> To, CellFilter Cells, Interval Share);

/// <summary>An intervention reaching a share of the cells given with a relative reduction of one setting's activity among those reached.</summary>
public sealed record InterventionLever(string Name, string Setting, CellFilter Cells, Interval Reach, Interval Effect, string EffectSource);

/// <summary>Costs: restated to <paramref name="PriceYear"/> (null: the marts' price year) and grown in real terms each year.</summary>
public sealed record CostSpec(string? PriceYear, Interval RealGrowth);

/// <summary>Capacity conversions.</summary>
/// <param name="BedOccupancy">Target bed occupancy (beds = bed days / (365 × occupancy)).</param>
/// <param name="CareWorkerContactHoursPerWeek">Contact hours a full-time care worker delivers a week.</param>
/// <param name="HomeCareHoursPerClientWeek">Home care hours in a client week.</param>
public sealed record CapacitySpec(double BedOccupancy, double CareWorkerContactHoursPerWeek, double HomeCareHoursPerClientWeek);

/// <summary>Monte Carlo: runs besides the principal run, the seed, and whether counts are redrawn Poisson.</summary>
public sealed record MonteCarloSpec(int Runs, int Seed, bool CountNoise);

/// <summary>A validated demand scenario: what <see cref="DemandModel"/> runs.</summary>
public sealed record Scenario(
    string Name,
    string Description,
    int Horizon,
    IReadOnlyList<string> Areas,
    IReadOnlyList<ProjectionVariant> Projections,
    BaselineSpec Baseline,
    HealthyAgeing? HealthyAgeing,
    IReadOnlyList<PrevalenceChange> Prevalence,
    IReadOnlyList<Avoidance> Avoidance,
    IReadOnlyList<Shift> Shifts,
    IReadOnlyList<InterventionLever> Interventions,
    CostSpec Costs,
    CapacitySpec Capacity,
    MonteCarloSpec MonteCarlo);
