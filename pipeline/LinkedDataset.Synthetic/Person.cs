namespace LinkedDataset.Synthetic;

/// <summary>One synthetic person: the truth behind every record about them. Kept compact (1.8M of them fit).</summary>
internal sealed class Person
{
    public int Key;
    public long NhsNumber;
    public short Given;
    public short Family;
    public DateOnly DateOfBirth;
    public byte Sex;
    public int Lsoa;
    public int Postcode;
    public long Uprn;
    public int Household;
    public bool CareHome;
    public byte Origin; // 0 initial, 1 birth, 2 moved in
    public int Practice;
    public int Trust;
    public ushort Conditions;
    public ulong Deficits;
    public float UseMultiplier;

    public DateOnly? DateOfDeath;
    public DateOnly? MovedOut;

    public string RegistrationId = "";
    public DateOnly RegistrationStart;

    public byte ReviewMonth; // month of year (1-12) for annual reviews and recoding

    // Social care: a long-term service, if any.
    public string? CareServiceRef;
    public byte CareServiceKind;
    public DateOnly CareServiceStart;
    public string? LaClientId;

    // Telecare.
    public string? TelecareRef;
    public string? TelecareClientId;
    public byte TelecareDevice;

    // Temporary spike in use (month index it ends after), and the intervention.
    public int SpikeUntil = -1;
    public string? ReferralId;
    public int EffectFrom = int.MaxValue;
    public int EffectUntil = -1;
    public DateOnly InterventionReferral;
    public DateOnly InterventionStart;

    public bool Active => DateOfDeath is null && MovedOut is null;

    public int DeficitCount => System.Numerics.BitOperations.PopCount(Deficits);

    public int Frailty => Health.FrailtyCategory(DeficitCount);

    public int AgeAt(DateOnly date)
    {
        var age = date.Year - DateOfBirth.Year;
        if (date.Month < DateOfBirth.Month || (date.Month == DateOfBirth.Month && date.Day < DateOfBirth.Day))
        {
            age--;
        }

        return Math.Max(0, age);
    }
}
