namespace LinkedDataset.Analysis.Demand;

// The scenario file as written (YAML, snake_case fields). Interval fields are `object` because a user writes either
// a number (a point) or a list of two numbers (an 80 % interval); ScenarioReader turns them into Intervals and names
// the line and field of anything wrong.

/// <summary>A scenario file: see <c>docs/commissioner.md</c> and <c>schemas/scenarios/</c>.</summary>
public sealed class ScenarioFile
{
    /// <summary>Name shown on the report.</summary>
    public required string Name { get; init; }

    /// <summary>What the scenario means, for the report.</summary>
    public string? Description { get; init; }

    /// <summary>Horizon financial year, by the calendar year it starts (2035 = 2035/36).</summary>
    public required int Horizon { get; init; }

    /// <summary>Areas of the projection files: codes, names, <c>kent</c> (the 12 districts) or <c>all</c>. Default: all.</summary>
    public List<string>? Areas { get; init; }

    /// <summary>Projection variants. Default: the shipped ONS 2022-based SNPP.</summary>
    public List<ProjectionFileEntry>? Projections { get; init; }

    /// <summary>Baseline years, split and pooling.</summary>
    public BaselineEntry? Baseline { get; init; }

    /// <summary>Healthy ageing lever.</summary>
    public HealthyAgeingEntry? HealthyAgeing { get; init; }

    /// <summary>Prevalence changes.</summary>
    public List<PrevalenceEntry>? Prevalence { get; init; }

    /// <summary>Activity avoidance levers.</summary>
    public List<AvoidanceEntry>? Avoidance { get; init; }

    /// <summary>Shifts between settings.</summary>
    public List<ShiftEntry>? Shifts { get; init; }

    /// <summary>Interventions.</summary>
    public List<InterventionEntry>? Interventions { get; init; }

    /// <summary>Price year and real-terms growth.</summary>
    public CostsEntry? Costs { get; init; }

    /// <summary>Capacity conversions.</summary>
    public CapacityEntry? Capacity { get; init; }

    /// <summary>Monte Carlo runs, seed, count noise.</summary>
    public MonteCarloEntry? MonteCarlo { get; init; }
}

/// <summary>A projection variant as written.</summary>
public sealed class ProjectionFileEntry
{
    /// <summary>Name of the variant.</summary>
    public required string Name { get; init; }

    /// <summary>Files in the ONS SNPP layout, relative to the scenario file or to <c>schemas/reference/population/</c>.</summary>
    public required List<string> Files { get; init; }

    /// <summary>Weight across Monte Carlo runs.</summary>
    public double Weight { get; init; } = 1;
}

/// <summary>Baseline options as written.</summary>
public sealed class BaselineEntry
{
    /// <summary>Last complete financial years pooled.</summary>
    public int Years { get; init; } = 1;

    /// <summary>Extra split: none, efi_category, imd_quintile, segment.</summary>
    public string SplitBy { get; init; } = "none";

    /// <summary>Pooling threshold in person-years.</summary>
    public double PoolBelowPersonYears { get; init; } = 100;
}

/// <summary>Healthy ageing as written.</summary>
public sealed class HealthyAgeingEntry
{
    /// <summary>Share of extra life years lived in good health: a number or [lo, hi].</summary>
    public required object Share { get; init; }

    /// <summary>Years of life expectancy gained per calendar year, by sex (<c>male</c>, <c>female</c>).</summary>
    public required Dictionary<string, double> LifeExpectancyGainPerYear { get; init; }

    /// <summary>Youngest age band midpoint the adjustment applies to.</summary>
    public int FromAge { get; init; } = 55;
}

/// <summary>A prevalence change as written.</summary>
public sealed class PrevalenceEntry
{
    /// <summary>Split values whose share changes.</summary>
    public required List<string> Segments { get; init; }

    /// <summary>Age bands (default all).</summary>
    public List<string>? AgeBands { get; init; }

    /// <summary>Relative change by the horizon: a number or [lo, hi] (−0.1 = a tenth fewer).</summary>
    public required object Change { get; init; }
}

/// <summary>An avoidance lever as written.</summary>
public sealed class AvoidanceEntry
{
    /// <summary>Setting avoided.</summary>
    public required string Setting { get; init; }

    /// <summary>Split values (default all).</summary>
    public List<string>? Segments { get; init; }

    /// <summary>Age bands (default all).</summary>
    public List<string>? AgeBands { get; init; }

    /// <summary>Share avoided by the horizon: a number or [lo, hi].</summary>
    public required object Share { get; init; }
}

/// <summary>A shift as written.</summary>
public sealed class ShiftEntry
{
    /// <summary>Setting activity moves from.</summary>
    public required string From { get; init; }

    /// <summary>Settings it moves to.</summary>
    public required List<ShiftTargetEntry> To { get; init; }

    /// <summary>Split values (default all).</summary>
    public List<string>? Segments { get; init; }

    /// <summary>Age bands (default all).</summary>
    public List<string>? AgeBands { get; init; }

    /// <summary>Share moved by the horizon: a number or [lo, hi].</summary>
    public required object Share { get; init; }
}

/// <summary>A shift destination as written.</summary>
public sealed class ShiftTargetEntry
{
    /// <summary>Destination setting.</summary>
    public required string Setting { get; init; }

    /// <summary>Units of the destination per unit moved: a number or [lo, hi].</summary>
    public required object PerUnit { get; init; }
}

/// <summary>An intervention as written.</summary>
public sealed class InterventionEntry
{
    /// <summary>Name for the report.</summary>
    public required string Name { get; init; }

    /// <summary>Setting whose activity it reduces.</summary>
    public required string Setting { get; init; }

    /// <summary>Split values reached (default all).</summary>
    public List<string>? Segments { get; init; }

    /// <summary>Age bands reached (default all).</summary>
    public List<string>? AgeBands { get; init; }

    /// <summary>Share of those people reached by the horizon: a number or [lo, hi].</summary>
    public required object Reach { get; init; }

    /// <summary>Relative reduction among those reached: a number or [lo, hi]; or give <see cref="EffectFile"/>.</summary>
    public object? Effect { get; init; }

    /// <summary>An evaluation result CSV (columns outcome, estimate, ci_low, ci_high: relative change with its 95 % interval).</summary>
    public string? EffectFile { get; init; }

    /// <summary>The row of <see cref="EffectFile"/> to use (default: the setting's name).</summary>
    public string? EffectOutcome { get; init; }
}

/// <summary>Costs as written.</summary>
public sealed class CostsEntry
{
    /// <summary>Price year, e.g. 2025/26 (default: the marts').</summary>
    public string? PriceYear { get; init; }

    /// <summary>Real-terms growth a year: a number or [lo, hi].</summary>
    public object? RealGrowth { get; init; }
}

/// <summary>Capacity conversions as written.</summary>
public sealed class CapacityEntry
{
    /// <summary>Bed occupancy.</summary>
    public double BedOccupancy { get; init; } = 0.92;

    /// <summary>Contact hours a full-time care worker delivers a week.</summary>
    public double CareWorkerContactHoursPerWeek { get; init; } = 30;

    /// <summary>Home care hours in a client week.</summary>
    public double HomeCareHoursPerClientWeek { get; init; } = 10;
}

/// <summary>Monte Carlo options as written.</summary>
public sealed class MonteCarloEntry
{
    /// <summary>Runs besides the principal.</summary>
    public int Runs { get; init; } = 500;

    /// <summary>Seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Redraw counts Poisson.</summary>
    public bool CountNoise { get; init; } = true;
}
