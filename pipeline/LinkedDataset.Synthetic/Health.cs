namespace LinkedDataset.Synthetic;

/// <summary>Services whose use is drawn each month; rates are calibrated to England per 1,000 people a year.</summary>
internal enum Service
{
    Ae,
    EmergencyAdmission,
    ElectiveAdmission,
    Outpatient,
    GpAppointment,
    Community,
    MentalHealth,
}

/// <summary>
/// The health model: long-term condition prevalence, frailty, mortality and relative service use by
/// age, sex, conditions, frailty and deprivation. Numbers are rounded from published England
/// figures (QOF prevalence, ONS life tables, HES/ECDS/GPAD activity) and are meant to be plausible,
/// not exact.
/// </summary>
internal static class Health
{
    public static readonly string[] ConditionNames =
        ["asthma", "chronic-kidney-disease", "copd", "dementia", "depression", "diabetes", "heart-failure", "hypertension"];

    public const int Dementia = 3, Depression = 4, Copd = 2, HeartFailure = 6;

    /// <summary>ICD-10 (4 characters, no dot) for each condition, used as a secondary diagnosis.</summary>
    public static readonly string[] ConditionIcd10 = ["J459", "N183", "J449", "F03X", "F329", "E119", "I509", "I10X"];

    /// <summary>The eFI deficit each condition counts as (codelists/efi file names), or null.</summary>
    public static readonly string?[] ConditionDeficit =
        ["respiratory-disease", "ckd", "respiratory-disease", "cognitive-problems", null, "diabetes", "heart-failure", "hypertension"];

    private static readonly int[] PrevalenceAges = [0, 18, 30, 40, 50, 60, 70, 80, 90];

    // Prevalence (%) at the ages above, for an average-deprivation population.
    private static readonly double[][] Prevalence =
    [
        [6, 8, 7, 7, 7, 7, 7, 7, 6],            // asthma
        [0, 0, 0, 0.3, 1.5, 4, 10, 22, 30],     // CKD 3-5
        [0, 0, 0, 0.5, 1.5, 4, 7, 8.5, 8],      // COPD
        [0, 0, 0, 0, 0.1, 0.5, 2.5, 9, 24],     // dementia
        [1, 8, 13, 14, 14, 13, 12, 11, 10],     // depression
        [0.1, 0.3, 1.5, 4, 8, 12, 16, 18, 15],  // diabetes
        [0, 0, 0, 0.1, 0.5, 1.5, 3.5, 7, 11],   // heart failure
        [0, 0.2, 1.5, 6, 14, 27, 45, 58, 62],   // hypertension
    ];

    public static double ConditionProbability(int condition, int age, int imdDecile)
    {
        var p = Interpolate(PrevalenceAges, Prevalence[condition], age) / 100.0;
        var deprivation = condition is Dementia ? 1.0 : 1 + 0.06 * (5.5 - imdDecile);
        return Math.Min(0.95, p * deprivation);
    }

    /// <summary>Expected eFI deficits (of 36) beyond those the conditions bring.</summary>
    public static double ExpectedOtherDeficits(int age, int conditions) =>
        Math.Max(0, age - 45) * 0.13 + 0.6 * conditions + 0.1;

    /// <summary>eFI category: 0 fit (&lt;=0.12), 1 mild (&lt;=0.24), 2 moderate (&lt;=0.36), 3 severe.</summary>
    public static int FrailtyCategory(int deficits) => deficits switch { <= 4 => 0, <= 8 => 1, <= 13 => 2, _ => 3 };

    /// <summary>Annual probability of death.</summary>
    public static double AnnualMortality(int age, int frailty, bool careHome)
    {
        var q = age == 0 ? 0.0035 : Math.Min(0.45, Math.Exp(-10.9 + 0.097 * age) + 0.0002);
        q *= frailty switch { 0 => 0.7, 1 => 1.1, 2 => 1.8, _ => 2.8 };
        return Math.Min(0.7, careHome ? q * 1.8 + 0.05 : q);
    }

    /// <summary>England's rate per 1,000 people a year (for the counted rows; see <see cref="CountedShare"/>).</summary>
    public static double Target(Service s) => s switch
    {
        Service.Ae => 450,
        Service.EmergencyAdmission => 115,
        Service.ElectiveAdmission => 150,
        Service.Outpatient => 1800,
        Service.GpAppointment => 5500,
        Service.Community => 2000,
        Service.MentalHealth => 400,
        _ => 0,
    };

    /// <summary>Share of generated rows that count towards the target (attended appointments).</summary>
    public static double CountedShare(Service s) => s switch
    {
        Service.Outpatient => 0.87,
        Service.Community => 0.93,
        Service.MentalHealth => 0.85,
        _ => 1.0,
    };

    /// <summary>Relative use by age, sex, conditions, frailty, deprivation (normalised to mean 1 later).</summary>
    public static double RelativeUse(Service s, int age, int sex, ushort conditions, int frailty, int imdDecile)
    {
        var n = System.Numerics.BitOperations.PopCount(conditions);
        var ageCurve = s switch
        {
            Service.Ae => Band(age, 1.4, 0.7, 1.1, 0.85, 0.85, 1.0, 1.5, 2.4),
            Service.EmergencyAdmission => Band(age, 0.8, 0.3, 0.45, 0.5, 0.8, 1.6, 3.0, 5.5),
            Service.ElectiveAdmission => Band(age, 0.2, 0.2, 0.4, 0.6, 1.2, 2.3, 2.6, 1.8),
            Service.Outpatient => Band(age, 0.6, 0.5, 0.6, 0.8, 1.1, 1.8, 2.1, 1.8),
            Service.GpAppointment => Band(age, 1.3, 0.5, 0.7, 0.9, 1.0, 1.5, 2.0, 2.4),
            Service.Community => Band(age, 1.5, 0.4, 0.2, 0.25, 0.35, 1.0, 3.5, 9.0),
            Service.MentalHealth => Band(age, 0.2, 0.6, 1.3, 1.3, 1.1, 0.6, 0.9, 1.1),
            _ => 1,
        };
        var sexFactor = sex == 2 && age is >= 16 and < 65 && s is Service.GpAppointment or Service.Outpatient ? 1.25 : 1.0;
        var conditionFactor = 1 + (s is Service.MentalHealth ? 0.1 : 0.3) * n;
        if (s == Service.MentalHealth)
        {
            conditionFactor *= ((conditions >> Depression) & 1) == 1 ? 4 : 1;
            conditionFactor *= ((conditions >> Dementia) & 1) == 1 ? 3 : 1;
        }

        var frailtyFactor = s is Service.Community
            ? frailty switch { 0 => 1, 1 => 2, 2 => 3.5, _ => 6 }
            : frailty switch { 0 => 1, 1 => 1.3, 2 => 1.8, _ => 2.6 };
        var deprivation = s switch
        {
            Service.Ae or Service.EmergencyAdmission or Service.MentalHealth => 1 + 0.05 * (5.5 - imdDecile),
            Service.ElectiveAdmission or Service.Outpatient => 1 - 0.01 * (5.5 - imdDecile),
            _ => 1 + 0.02 * (5.5 - imdDecile),
        };
        return ageCurve * sexFactor * conditionFactor * frailtyFactor * deprivation;
    }

    // Bands: 0-4, 5-14, 15-24, 25-44, 45-64, 65-74, 75-84, 85+.
    private static double Band(int age, double a0, double a5, double a15, double a25, double a45, double a65, double a75, double a85) =>
        age switch { < 5 => a0, < 15 => a5, < 25 => a15, < 45 => a25, < 65 => a45, < 75 => a65, < 85 => a75, _ => a85 };

    private static double Interpolate(int[] xs, double[] ys, int x)
    {
        if (x <= xs[0])
        {
            return ys[0];
        }

        for (var i = 1; i < xs.Length; i++)
        {
            if (x <= xs[i])
            {
                var t = (double)(x - xs[i - 1]) / (xs[i] - xs[i - 1]);
                return ys[i - 1] + t * (ys[i] - ys[i - 1]);
            }
        }

        return ys[^1];
    }
}
