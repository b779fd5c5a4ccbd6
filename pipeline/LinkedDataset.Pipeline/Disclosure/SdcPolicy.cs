namespace LinkedDataset.Pipeline.Disclosure;

/// <summary>
/// A statistical disclosure control policy: counts from 1 to <see cref="SuppressAtOrBelow"/> are
/// suppressed, other counts are rounded to the nearest <see cref="RoundTo"/>. Zero is released as 0.
/// The default (7 and 5) is the strict policy of issue 4.
/// </summary>
/// <param name="SuppressAtOrBelow">Largest count that is suppressed (0 = no small-count suppression).</param>
/// <param name="RoundTo">Rounding base (1 = no rounding).</param>
public sealed record SdcPolicy(int SuppressAtOrBelow = 7, int RoundTo = 5)
{
    private readonly int _suppressAtOrBelow = ValidateThreshold(SuppressAtOrBelow);
    private readonly int _roundTo = ValidateBase(RoundTo);

    /// <summary>The strict default: counts 1–7 suppressed, others rounded to the nearest 5.</summary>
    public static SdcPolicy Default { get; } = new();

    /// <summary>Largest count that is suppressed (0 = no small-count suppression).</summary>
    public int SuppressAtOrBelow
    {
        get => _suppressAtOrBelow;
        init => _suppressAtOrBelow = ValidateThreshold(value);
    }

    /// <summary>Rounding base (1 = no rounding).</summary>
    public int RoundTo
    {
        get => _roundTo;
        init => _roundTo = ValidateBase(value);
    }

    /// <summary>
    /// One sentence an output file carries to say which policy was applied, e.g. "counts 1-7
    /// suppressed; other counts rounded to the nearest 5; rates from rounded values; secondary
    /// suppression applied".
    /// </summary>
    public string Describe()
    {
        var suppress = SuppressAtOrBelow switch
        {
            0 => "no small-count suppression",
            1 => "counts of 1 suppressed",
            _ => $"counts 1-{SuppressAtOrBelow} suppressed",
        };
        var round = RoundTo == 1 ? "other counts not rounded" : $"other counts rounded to the nearest {RoundTo}";
        return $"{suppress}; {round}; rates from rounded values; secondary suppression applied";
    }

    private static int ValidateThreshold(int value) => value >= 0
        ? value
        : throw new ArgumentOutOfRangeException(nameof(SuppressAtOrBelow), value, "The suppression threshold must be 0 or more (0 turns small-count suppression off).");

    private static int ValidateBase(int value) => value >= 1
        ? value
        : throw new ArgumentOutOfRangeException(nameof(RoundTo), value, "The rounding base must be 1 or more (1 turns rounding off).");
}
