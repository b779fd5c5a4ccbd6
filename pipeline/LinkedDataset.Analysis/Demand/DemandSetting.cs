namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// One setting the demand model projects: a measure of <c>person_year</c> (its activity) and the cost it
/// carries. Emergency bed days carry no cost of their own (the spell is the NHS currency; its cost is on
/// emergency admissions) and follow emergency admissions when admissions are avoided.
/// </summary>
/// <param name="Name">Name used in scenario files and outputs, e.g. <c>emergency_bed_days</c>.</param>
/// <param name="Label">For reports, e.g. "Emergency bed days".</param>
/// <param name="Unit">Unit of activity, e.g. "bed days".</param>
/// <param name="ActivitySql">SQL over one <c>person_year</c> row giving its activity.</param>
/// <param name="CostSql">SQL over one <c>person_year</c> row giving its cost, or null when the setting carries none.</param>
/// <param name="FollowsAvoidanceOf">Another setting whose avoided share this one loses too (bed days follow admissions).</param>
public sealed record DemandSetting(string Name, string Label, string Unit, string ActivitySql, string? CostSql, string? FollowsAvoidanceOf = null)
{
    /// <summary>
    /// A social care service: <c>person_year.cost_social_care</c> is one column for every service, so it is
    /// split between services in proportion to weeks × the reference weekly cost of each (the unit cost item of
    /// <c>unit_costs.csv</c>, times <see cref="SocialCareShare.HoursPerWeek"/> when it is an hourly cost).
    /// </summary>
    public SocialCareShare? SocialCare { get; init; }

    private static DemandSetting Service(string name, string label, string weeksColumn, string unitCostItem, double hoursPerWeek = 1) =>
        new(name, label, "weeks", weeksColumn, null) { SocialCare = new SocialCareShare(weeksColumn, unitCostItem, hoursPerWeek) };

    /// <summary>Every setting, in report order.</summary>
    public static readonly IReadOnlyList<DemandSetting> All =
    [
        new("emergency_admissions", "Emergency admissions", "admissions", "emergency_admissions", "cost_apc_emergency"),
        new("emergency_bed_days", "Emergency bed days", "bed days", "emergency_bed_days", null, FollowsAvoidanceOf: "emergency_admissions"),
        new("elective_admissions", "Elective admissions and day cases", "admissions", "elective_admissions + day_cases", "cost_apc_elective"),
        new("other_admissions", "Maternity and other admissions", "admissions", "other_admissions", "cost_apc_other"),
        new("ae_attendances", "A&E attendances", "attendances", "ae_attendances", "cost_ae"),
        new("ambulance_incidents", "Ambulance incidents", "incidents", "ambulance_incidents", "cost_ambulance"),
        new("outpatient_attendances", "Outpatient attendances", "attendances", "outpatient_attendances", "cost_op"),
        new("gp_appointments", "GP practice appointments", "appointments", "gp_appointments", "cost_gp"),
        new("community_contacts", "Community health contacts", "contacts", "community_contacts", "cost_community"),
        new("mental_health_contacts", "Mental health contacts", "contacts", "mental_health_contacts", "cost_mental_health"),
        Service("residential_care", "Residential care", "sc_weeks_residential", "residential_care_week"),
        Service("nursing_care", "Nursing care", "sc_weeks_nursing", "nursing_care_week"),
        Service("home_care", "Home care", "sc_weeks_home_care", "home_care_hour", hoursPerWeek: 10),
        Service("reablement", "Reablement", "sc_weeks_reablement", "reablement_week"),
        Service("direct_payments", "Direct payments", "sc_weeks_direct_payment", "direct_payment_week"),
        Service("other_social_care", "Other social care", "sc_weeks_other", "other_social_care_week"),
        new("telecare", "Telecare packages", "package weeks", "telecare_weeks", "cost_telecare"),
        new("telecare_installs", "Telecare installs (new users)", "installs", "CASE WHEN telecare_weeks > 0 AND NOT telecare_user THEN 1 ELSE 0 END", null),
        new("telecare_calls", "Telecare alarm calls", "calls", "telecare_calls", null),
    ];

    /// <summary>The setting called <paramref name="name"/>, or null.</summary>
    public static DemandSetting? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>Index of a setting in <see cref="All"/>.</summary>
    public static int IndexOf(string name) => All.ToList().FindIndex(s => s.Name == name);
}

/// <summary>How a social care service's share of <c>cost_social_care</c> is weighted: its weeks × the unit cost item × hours a week.</summary>
public sealed record SocialCareShare(string WeeksColumn, string UnitCostItem, double HoursPerWeek);
