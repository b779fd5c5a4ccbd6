namespace LinkedDataset.Pipeline.Disclosure;

/// <summary>One group's unprotected numerator and denominator, e.g. admissions and population for an age band.</summary>
/// <param name="Group">The group's labels (e.g. <c>["75-84", "IMD Q1"]</c>).</param>
/// <param name="Numerator">True count of events or people with the outcome (0 or more).</param>
/// <param name="Denominator">True population or person-time count (0 or more).</param>
public sealed record RateCell(IReadOnlyList<string> Group, long Numerator, long Denominator);

/// <summary>
/// A disclosure-controlled rate: numerator and denominator each protected by the policy (null =
/// suppressed), and the rate computed from the protected (rounded) values, null when either is
/// suppressed or the denominator is 0.
/// </summary>
/// <param name="Group">The group's labels.</param>
/// <param name="Numerator">The protected numerator.</param>
/// <param name="Denominator">The protected denominator.</param>
/// <param name="Rate">Numerator / Denominator × per, from the protected values.</param>
public sealed record ProtectedRate(IReadOnlyList<string> Group, long? Numerator, long? Denominator, double? Rate);
