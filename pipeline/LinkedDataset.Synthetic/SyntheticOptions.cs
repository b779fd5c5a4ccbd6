using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Synthetic;

/// <summary>What to generate: population size, seed, period, where to write, faults and the intervention.</summary>
public sealed record SyntheticOptions
{
    /// <summary>People alive and registered at the start (births and moves in are added on top).</summary>
    public int People { get; init; } = 10_000;

    /// <summary>Same seed and parameters give byte-identical output.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of monthly extracts, ending with <see cref="EndMonth"/>.</summary>
    public int Months { get; init; } = 24;

    /// <summary>Last month generated (first day of it). Default March 2026, so 24 months are two NHS financial years.</summary>
    public DateOnly EndMonth { get; init; } = new(2026, 3, 1);

    /// <summary>Folder the extracts are written to (one subfolder per feed, plus <c>_reference</c>).</summary>
    public string OutputFolder { get; init; } = "synthetic";

    /// <summary>Folder of the truth files; default <c>&lt;OutputFolder&gt;/_truth</c>.</summary>
    public string? TruthFolder { get; init; }

    public FaultRates Faults { get; init; } = FaultRates.Default;

    public InterventionParameters Intervention { get; init; } = new();

    /// <summary>Folder of <c>schemas/</c> (feeds and reference); default the shipped copy.</summary>
    public string? SchemasFolder { get; init; }

    /// <summary>The name of the built-in scenario with hard identity corruption (<see cref="FaultRates.Hard"/>), accepted where a scenario file is.</summary>
    public const string HardScenario = "hard";

    /// <summary>The first month generated.</summary>
    public DateOnly StartMonth => new DateOnly(EndMonth.Year, EndMonth.Month, 1).AddMonths(-(Months - 1));

    public string ResolvedTruthFolder => TruthFolder ?? Path.Combine(OutputFolder, "_truth");

    /// <summary>Throws a <see cref="PipelineException"/> saying what is wrong and what is allowed.</summary>
    public void Validate()
    {
        if (People is < 100 or > 5_000_000)
        {
            throw new PipelineException($"People is {People}; allowed 100 to 5,000,000.");
        }

        if (Months is < 1 or > 120)
        {
            throw new PipelineException($"Months is {Months}; allowed 1 to 120.");
        }

        if (string.IsNullOrWhiteSpace(OutputFolder))
        {
            throw new PipelineException("OutputFolder is empty; give the folder the extracts are written to.");
        }

        Faults.Validate();
        Intervention.Validate();
    }

    /// <summary>
    /// Reads intervention and fault parameters (and optionally people, seed, months, end_month) from a
    /// scenario YAML file; anything not given keeps its default. Example:
    /// <code>
    /// people: 20000
    /// seed: 7
    /// intervention: { referral_rate_per_1000_adults: 10, ae_rate_ratio: 0.8, gp_rate_ratio: 0.85, effect_months: 12 }
    /// faults: { missing_nhs_number: 0.01, duplicate_row: 0.002 }
    /// </code>
    /// </summary>
    public static SyntheticOptions FromScenarioFile(string yamlPath, SyntheticOptions? defaults = null)
    {
        if (yamlPath == HardScenario)
        {
            return (defaults ?? new SyntheticOptions()) with { Faults = FaultRates.Hard };
        }

        var o = defaults ?? new SyntheticOptions();
        var seed = new ScenarioFile { People = o.People, Seed = o.Seed, Months = o.Months, EndMonth = o.EndMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), Faults = o.Faults, Intervention = o.Intervention };
        var file = Yaml.Load(yamlPath, seed)!;
        var result = o with
        {
            People = file.People,
            Seed = file.Seed,
            Months = file.Months,
            EndMonth = ParseMonth(yamlPath, file.EndMonth),
            Faults = file.Faults,
            Intervention = file.Intervention,
        };
        result.Validate();
        return result;
    }

    private static DateOnly ParseMonth(string path, string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var first)
            ? first
            : throw new PipelineException($"{path}: field 'end_month' is '{month}'; write a month as YYYY-MM, e.g. 2026-03.");

    /// <summary>What a scenario file may set; each field not in the file keeps the caller's value.</summary>
    private sealed record ScenarioFile
    {
        public int People { get; init; }
        public ulong Seed { get; init; }
        public int Months { get; init; }
        public string EndMonth { get; init; } = "";
        public FaultRates Faults { get; init; } = FaultRates.Default;
        public InterventionParameters Intervention { get; init; } = new();
    }
}

/// <summary>
/// Probabilities, per extract row, of each data fault. NHS number faults are scaled per feed
/// (none in pmi, a tenth in gp_event, three to four times in mental_health, social_care, telecare).
/// </summary>
public sealed record FaultRates
{
    public double MissingNhsNumber { get; init; }
    public double InvalidNhsNumber { get; init; }
    public double NameTypo { get; init; }
    public double DobTransposed { get; init; }
    public double PostcodeChanged { get; init; }
    public double DuplicateRow { get; init; }
    public double LateArrival { get; init; }

    /// <summary>Given and family names written the wrong way round.</summary>
    public double NameSwap { get; init; }

    /// <summary>A typo in both names at once.</summary>
    public double TypoBothNames { get; init; }

    /// <summary>The given name left blank.</summary>
    public double MissingGivenName { get; init; }

    /// <summary>A nickname instead of the given name (William → Bill), where the name has one.</summary>
    public double Nickname { get; init; }

    /// <summary>A well-shaped date of birth that does not exist (1956-02-31).</summary>
    public double ImpossibleDob { get; init; }

    /// <summary>
    /// Of records without a usable NHS number (missing or invalid), the share with two or three of the
    /// four identity fields (given name, family name, date of birth, postcode) corrupted at once.
    /// </summary>
    public double MultipleFieldsWithoutNhs { get; init; }

    /// <summary>Clean extracts: no faults at all.</summary>
    public static FaultRates None { get; } = new();

    /// <summary>Rates of the order seen in real provider extracts.</summary>
    public static FaultRates Default { get; } = new()
    {
        MissingNhsNumber = 0.01,
        InvalidNhsNumber = 0.003,
        NameTypo = 0.01,
        DobTransposed = 0.003,
        PostcodeChanged = 0.01,
        DuplicateRow = 0.002,
        LateArrival = 0.01,
    };

    /// <summary>
    /// The <c>hard</c> scenario (issue 11): NHS numbers often missing or invalid, every kind of identity
    /// corruption, and a fifth of the records without a usable NHS number with two or more identity
    /// fields corrupted (expected share with two or more: at least 15%, checked by a test).
    /// </summary>
    public static FaultRates Hard { get; } = Default with
    {
        MissingNhsNumber = 0.05,
        InvalidNhsNumber = 0.02,
        NameTypo = 0.03,
        DobTransposed = 0.01,
        PostcodeChanged = 0.03,
        NameSwap = 0.01,
        TypoBothNames = 0.01,
        MissingGivenName = 0.01,
        Nickname = 0.02,
        ImpossibleDob = 0.005,
        MultipleFieldsWithoutNhs = 0.2,
    };

    internal void Validate()
    {
        if (MultipleFieldsWithoutNhs is < 0 or > 1 || double.IsNaN(MultipleFieldsWithoutNhs))
        {
            throw new PipelineException($"Fault rate MultipleFieldsWithoutNhs is {MultipleFieldsWithoutNhs}; allowed 0 to 1 (a share of the records without a usable NHS number).");
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(NameSwap), NameSwap), (nameof(TypoBothNames), TypoBothNames), (nameof(MissingGivenName), MissingGivenName),
                     (nameof(Nickname), Nickname), (nameof(ImpossibleDob), ImpossibleDob),
                     (nameof(MissingNhsNumber), MissingNhsNumber), (nameof(InvalidNhsNumber), InvalidNhsNumber),
                     (nameof(NameTypo), NameTypo), (nameof(DobTransposed), DobTransposed), (nameof(PostcodeChanged), PostcodeChanged),
                     (nameof(DuplicateRow), DuplicateRow), (nameof(LateArrival), LateArrival),
                 })
        {
            if (value is < 0 or > 0.2 || double.IsNaN(value))
            {
                throw new PipelineException($"Fault rate {name} is {value}; allowed 0 to 0.2 (a probability per row; NHS number faults are multiplied by up to 4 in some feeds).");
            }
        }
    }
}

/// <summary>The programme being evaluated (social prescribing) and its true effects.</summary>
public sealed record InterventionParameters
{
    /// <summary>Referrals per 1,000 adults (18+) per year, on average.</summary>
    public double ReferralRatePer1000Adults { get; init; } = 10;

    /// <summary>How many times more likely a referral is during a temporary spike in use (regression to the mean).</summary>
    public double SpikeReferralMultiplier { get; init; } = 8;

    /// <summary>Share of referred people who start the programme.</summary>
    public double StartProbability { get; init; } = 0.8;

    /// <summary>True rate ratio on A&amp;E attendances for <see cref="EffectMonths"/> after starting (0.8 = 20% fewer).</summary>
    public double AeRateRatio { get; init; } = 0.8;

    /// <summary>True rate ratio on GP appointments for <see cref="EffectMonths"/> after starting.</summary>
    public double GpRateRatio { get; init; } = 0.85;

    public int EffectMonths { get; init; } = 12;

    internal void Validate()
    {
        if (ReferralRatePer1000Adults is < 0 or > 200)
        {
            throw new PipelineException($"Intervention referral rate is {ReferralRatePer1000Adults} per 1,000 adults a year; allowed 0 to 200.");
        }

        if (AeRateRatio is <= 0 or > 3 || GpRateRatio is <= 0 or > 3)
        {
            throw new PipelineException($"Intervention rate ratios must be above 0 and at most 3 (A&E {AeRateRatio}, GP {GpRateRatio}).");
        }

        if (StartProbability is < 0 or > 1 || SpikeReferralMultiplier is < 1 or > 100 || EffectMonths is < 0 or > 60)
        {
            throw new PipelineException("Intervention start probability must be 0-1, spike multiplier 1-100, effect months 0-60.");
        }
    }
}
