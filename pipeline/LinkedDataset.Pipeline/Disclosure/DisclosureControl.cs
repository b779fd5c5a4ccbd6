namespace LinkedDataset.Pipeline.Disclosure;

/// <summary>
/// Statistical disclosure control: the one module every aggregate output passes through before
/// it is written (issue 4, item 6).
/// </summary>
/// <remarks>
/// <para><b>Counts</b>: 0 is released as 0 (a true zero is not a small count of people; this
/// follows OpenSAFELY's practice). Counts from 1 to <see cref="SdcPolicy.SuppressAtOrBelow"/> are
/// suppressed (null). Other counts are rounded to the nearest <see cref="SdcPolicy.RoundTo"/>
/// (halves up), and a positive count never rounds below <see cref="SdcPolicy.RoundTo"/>, so a
/// released non-zero count is never shown as 0.</para>
/// <para><b>Rates</b>: from the rounded numerator and denominator, suppressed when either is.</para>
/// <para><b>Tables</b>: see <see cref="ProtectTable"/>.</para>
/// </remarks>
public static partial class DisclosureControl
{
    /// <summary>Protects one count: 0 ⇒ 0; 1..threshold ⇒ null (suppressed); otherwise rounded.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public static long? ProtectCount(long count, SdcPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return 0;
        }

        return count <= policy.SuppressAtOrBelow ? null : Round(count, policy);
    }

    /// <summary>
    /// Protects rates: each numerator and denominator by <see cref="ProtectCount"/>, and the rate
    /// (per <paramref name="per"/>) computed from the protected values; the rate is null when
    /// either is suppressed or the protected denominator is 0. Rates are not suppressed across
    /// groups (no totals are released here); a caller that also releases totals must protect
    /// them with <see cref="ProtectTable"/>.
    /// </summary>
    public static IReadOnlyList<ProtectedRate> ProtectRates(IEnumerable<RateCell> cells, SdcPolicy policy, double per = 1000)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(policy);
        if (!(per > 0) || double.IsInfinity(per))
        {
            throw new ArgumentOutOfRangeException(nameof(per), per, "Rates must be per a positive number of people (e.g. 1000).");
        }

        var result = new List<ProtectedRate>();
        foreach (var cell in cells)
        {
            if (cell.Numerator < 0 || cell.Denominator < 0)
            {
                throw new ArgumentException("Numerators and denominators must be 0 or more.", nameof(cells));
            }

            var numerator = ProtectCount(cell.Numerator, policy);
            var denominator = ProtectCount(cell.Denominator, policy);
            double? rate = numerator is { } n && denominator is { } d && d > 0 ? n * per / d : null;
            result.Add(new ProtectedRate(cell.Group, numerator, denominator, rate));
        }

        return result;
    }

    /// <summary>Rounds a positive count to the nearest multiple of the base (halves up), never below the base.</summary>
    internal static long Round(long count, SdcPolicy policy)
    {
        if (count == 0)
        {
            return 0;
        }

        var roundTo = policy.RoundTo;
        var rounded = (count + roundTo / 2) / roundTo * roundTo;
        return Math.Max(rounded, roundTo);
    }
}
