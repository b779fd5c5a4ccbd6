namespace LinkedDataset.Analysis.Evaluation;

/// <summary>An outcome an evaluation can measure: which linked table, which date, which rows, and its unit cost item.</summary>
/// <param name="Name">Name used in spec files and outputs.</param>
/// <param name="Label">Plain-language label for reports.</param>
/// <param name="Table">Snapshot table.</param>
/// <param name="DateColumn">Date the event happened.</param>
/// <param name="Filter">Our SQL condition selecting the rows that count (no user text).</param>
/// <param name="UnitCostItem">Item in <c>schemas/reference/unit-costs/unit_costs.csv</c> that prices one event.</param>
public sealed record OutcomeMeasure(string Name, string Label, string Table, string DateColumn, string Filter, string UnitCostItem);

/// <summary>The outcomes an evaluation spec may name; the SQL is ours, the spec only picks by name.</summary>
public static class OutcomeCatalogue
{
    /// <summary>Every outcome, by name. Definitions match the marts' settings (<c>Marts/Costing.cs</c>).</summary>
    public static IReadOnlyDictionary<string, OutcomeMeasure> All { get; } = new[]
    {
        new OutcomeMeasure("ae_attendances", "A&E attendances", "ae", "arrival_date", "TRUE", "ae_attendance"),
        new OutcomeMeasure("gp_appointments", "GP practice appointments attended", "gp_event", "event_date", "event_type = 'A' AND appt_status = 'Attended'", "gp_consultation"),
        new OutcomeMeasure("emergency_admissions", "emergency admissions", "apc", "admission_date", "admission_method LIKE '2%'", "nel_admission_all"),
        new OutcomeMeasure("elective_admissions", "elective admissions", "apc", "admission_date", "admission_method LIKE '1%'", "elective_admission"),
        new OutcomeMeasure("outpatient_attendances", "outpatient attendances", "op", "appointment_date", "attendance_status IN ('5', '6')", "outpatient_consultant_led"),
        new OutcomeMeasure("community_contacts", "community health contacts", "community", "contact_date", "coalesce(attendance_status, '5') IN ('5', '6')", "community_health_contact"),
        new OutcomeMeasure("mental_health_contacts", "mental health contacts", "mental_health", "care_cont_date", "coalesce(attend_or_dna_code, '5') IN ('5', '6')", "mental_health_contact"),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The outcome of that name, or an error listing the names allowed.</summary>
    public static OutcomeMeasure Get(string name, string where) => All.TryGetValue(name, out var o)
        ? o
        : throw new ArgumentException($"{where}: unknown outcome '{name}'; allowed: {string.Join(", ", All.Keys)}.");
}

/// <summary>Where a covariate comes from.</summary>
public enum CovariateSource
{
    /// <summary>The person table (age, sex, deprivation).</summary>
    Person,

    /// <summary>Use of a setting in the pre-period (events per person-year).</summary>
    PriorUse,

    /// <summary>The marts' <c>person_year</c> row of the financial year holding the index month (segments at 1 April, before the index).</summary>
    PersonYear,
}

/// <summary>A covariate measured before the index date.</summary>
/// <param name="Name">Name used in spec files and the balance table.</param>
/// <param name="Label">Plain-language label.</param>
/// <param name="Source">Where it comes from.</param>
/// <param name="Sql">Our SQL over the member row (aliases <c>p</c> person, <c>py</c> person_year of the index year, <c>pp</c> the year before), or the outcome name for prior use.</param>
public sealed record Covariate(string Name, string Label, CovariateSource Source, string Sql);

/// <summary>The covariates an evaluation spec may name.</summary>
public static class CovariateCatalogue
{
    /// <summary>Every covariate, by name.</summary>
    public static IReadOnlyDictionary<string, Covariate> All { get; } = new[]
    {
        new Covariate("age", "age (years)", CovariateSource.Person, "CAST(floor((m.g - p.birth_mi) / 12) AS DOUBLE)"),
        new Covariate("female", "female", CovariateSource.Person, "CAST(p.sex = '2' AS DOUBLE)"),
        new Covariate("imd_quintile", "IMD 2019 quintile (1 most deprived)", CovariateSource.Person, "CAST(coalesce(p.imd_quintile, 3) AS DOUBLE)"),
        new Covariate("efi_score", "electronic frailty index", CovariateSource.PersonYear, "coalesce(py.efi_score, 0)"),
        new Covariate("ltc_count", "long-term conditions", CovariateSource.PersonYear, "CAST(coalesce(py.ltc_count, 0) AS DOUBLE)"),
        new Covariate("charlson_index", "Charlson index", CovariateSource.PersonYear, "CAST(least(coalesce(py.charlson_index, 0), 10) AS DOUBLE)"),
        new Covariate("risk_score", "emergency admission risk (previous year's score)", CovariateSource.PersonYear, "coalesce(pp.risk_emergency_admission_next_year, 0)"),
    }.Concat(OutcomeCatalogue.All.Values.Select(o => new Covariate("prior_" + o.Name, o.Label + " in the pre-period (per year)", CovariateSource.PriorUse, o.Name)))
     .ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The covariate of that name, or an error listing the names allowed.</summary>
    public static Covariate Get(string name, string where) => All.TryGetValue(name, out var c)
        ? c
        : throw new ArgumentException($"{where}: unknown covariate '{name}'; allowed: {string.Join(", ", All.Keys)}.");
}
