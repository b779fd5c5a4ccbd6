using FluentAssertions;

namespace LinkedDataset.Tests.Unit.Marts;

public class CostingTests
{
    private const string ApcColumns = "person_id, provider_code, apcs_ident, admission_date, discharge_date, admission_method, patient_classification, primary_diagnosis, treatment_function_code, length_of_stay, spell_tariff";

    [Fact]
    public void EmergencySpell_CrossingTheFinancialYearEnd_IsSplitByNights()
    {
        // Admitted 29 March 2025, discharged 3 April 2025: 5 nights (29, 30, 31 March; 1, 2 April), so a long stay
        // (2+ days) at the unit cost 5,132, i.e. 1,026.40 a night: 2024/25 gets 3 nights = 3,079.20 and the admission;
        // 2025/26 gets 2 nights = 2,052.80 and no admission.
        using var t = new MartTestDb().Person(1, "1950-06")
            .Insert("apc", ApcColumns, "(1, 'RVV', 'S1', DATE '2025-03-29', DATE '2025-04-03', '21', '1', 'J189', '300', 5, NULL)")
            .Build();

        t.One<string>("SELECT cost_basis FROM costed_activity").Should().Be("unit_cost:nel_admission_long_stay");
        t.One<double>("SELECT cost FROM costed_activity").Should().Be(5132);
        t.One<int>("SELECT emergency_admissions FROM person_year WHERE fin_year = 2024").Should().Be(1);
        t.One<int>("SELECT emergency_bed_days FROM person_year WHERE fin_year = 2024").Should().Be(3);
        t.One<double>("SELECT cost_apc_emergency FROM person_year WHERE fin_year = 2024").Should().BeApproximately(3079.2, 1e-6);
        t.One<int>("SELECT emergency_admissions FROM person_year WHERE fin_year = 2025").Should().Be(0);
        t.One<int>("SELECT emergency_bed_days FROM person_year WHERE fin_year = 2025").Should().Be(2);
        t.One<double>("SELECT cost_apc_emergency FROM person_year WHERE fin_year = 2025").Should().BeApproximately(2052.8, 1e-6);
        t.One<double>("SELECT total_cost FROM person_month WHERE month = DATE '2025-04-01'").Should().BeApproximately(2052.8, 1e-6);
    }

    [Fact]
    public void Spell_WithATariff_IsCostedAtTheTariff_AndShortStaysAndDayCasesByType()
    {
        // Tariff 1,234.56 wins over the unit cost; a 1-night emergency spell is a short stay (791);
        // an elective day case (classification 2) is a day case (1,031) on one day with 0 bed days.
        using var t = new MartTestDb().Person(1, "1950-06")
            .Insert("apc", ApcColumns,
                "(1, 'RVV', 'S1', DATE '2024-05-01', DATE '2024-05-04', '21', '1', 'J189', '300', 3, 1234.56)",
                "(1, 'RVV', 'S2', DATE '2024-06-01', DATE '2024-06-02', '22', '1', 'J189', '300', 1, NULL)",
                "(1, 'RVV', 'S3', DATE '2024-07-01', DATE '2024-07-01', '11', '2', 'J189', '300', 0, NULL)")
            .Build();

        t.Many<string>("SELECT cost_basis || '=' || CAST(cost AS VARCHAR) FROM costed_activity ORDER BY source_id")
            .Should().Equal("feed:spell_tariff=1234.56", "unit_cost:nel_admission_short_stay=791.0", "unit_cost:day_case=1031.0");
        t.One<int>("SELECT day_cases FROM person_year WHERE fin_year = 2024").Should().Be(1);
        t.One<int>("SELECT emergency_bed_days FROM person_year WHERE fin_year = 2024").Should().Be(4);
    }

    [Fact]
    public void ResidentialPlacement_AcrossMonths_IsCostedPerDayAtTheFeedsWeeklyCost()
    {
        // 20 January to 10 March 2025 (end date exclusive) at 1 unit a week x 700 = 100 a day:
        // January 12 days = 1,200, February 28 days = 2,800, March 9 days = 900; 49 days = 7 weeks = 4,900.
        using var t = new MartTestDb().Person(1, "1940-01")
            .Insert("social_care", "person_id, provider_code, event_reference, la_person_unique_identifier, client_type, event_type, event_start_date, event_end_date, service_type, service_component, planned_units_per_week, unit_cost, cost_frequency_unit_type",
                "(1, '886', 'SC1', 'LA1', 'Service User', 'Service', DATE '2025-01-20', DATE '2025-03-10', 'Long Term Support: Residential Care', 'Long Term Residential Care', 1, 700, 'Weekly')")
            .Build();

        t.Many<double>("SELECT total_cost FROM person_month ORDER BY month").Should().BeEquivalentTo([1200.0, 2800.0, 900.0], o => o.WithStrictOrdering());
        t.One<double>("SELECT total_cost FROM person_month WHERE month = DATE '2025-02-01'").Should().BeApproximately(2800, 1e-6);
        t.One<double>("SELECT sc_weeks_residential FROM person_year WHERE fin_year = 2024").Should().BeApproximately(7, 1e-9);
        t.One<double>("SELECT cost_social_care FROM person_year WHERE fin_year = 2024").Should().BeApproximately(4900, 1e-6);
        t.One<string>("SELECT cost_basis FROM costed_activity").Should().Be("feed:unit_cost");
    }

    [Fact]
    public void OpenPlacement_WithoutAFeedCost_IsCostedAtTheUnitCostToTheWindowEndOrDeath()
    {
        // Nursing care from 1 March 2026, no end, no unit cost: 1,003 a week to the window end (31 March, 31 days).
        // Person 2 died 11 March 2026: 10 days.
        using var t = new MartTestDb().Person(1, "1940-01").Person(2, "1940-01", died: "2026-03-11")
            .Insert("social_care", "person_id, provider_code, event_reference, la_person_unique_identifier, client_type, event_type, event_start_date, service_type, service_component",
                "(1, '886', 'SC1', 'LA1', 'Service User', 'Service', DATE '2026-03-01', 'Long Term Support: Nursing Care', 'Long Term Nursing Care')",
                "(2, '886', 'SC2', 'LA2', 'Service User', 'Service', DATE '2026-03-01', 'Long Term Support: Nursing Care', 'Long Term Nursing Care')")
            .Build();

        t.One<double>("SELECT cost FROM costed_activity WHERE person_id = 1").Should().BeApproximately(1003.0 / 7 * 31, 1e-6);
        t.One<double>("SELECT cost FROM costed_activity WHERE person_id = 2").Should().BeApproximately(1003.0 / 7 * 10, 1e-6);
        t.One<string>("SELECT cost_basis FROM costed_activity WHERE person_id = 1").Should().Be("unit_cost:nursing_care_week");
        t.One<bool>("SELECT died_in_year FROM person_year WHERE person_id = 2 AND fin_year = 2025").Should().BeTrue();
    }

    [Fact]
    public void TelecarePackage_IsCostedPerDay_AndCallsCountWithConveyances()
    {
        // Installed 1 May 2024, removed 29 May 2024: 28 days = 4 weeks x 6 = 24. Two calls, one conveyed (cost 0,
        // in the charge), one with an ambulance requested but not conveyed (an ambulance incident, 250).
        using var t = new MartTestDb().Person(1, "1935-01")
            .Insert("telecare", "person_id, provider_code, tec_event_id, client_id, event_type, event_date, trigger_device_type, ambulance_requested, conveyed",
                "(1, '886', 'T1', 'C1', 'INSTALL', DATE '2024-05-01', 'pendant', NULL, NULL)",
                "(1, '886', 'T2', 'C1', 'CALL', DATE '2024-05-10', 'pendant', true, true)",
                "(1, '886', 'T3', 'C1', 'CALL', DATE '2024-05-11', 'pendant', true, false)",
                "(1, '886', 'T4', 'C1', 'REMOVE', DATE '2024-05-29', 'pendant', NULL, NULL)")
            .Build();

        t.One<double>("SELECT telecare_weeks FROM person_year WHERE fin_year = 2024").Should().BeApproximately(4, 1e-9);
        t.One<double>("SELECT cost_telecare FROM person_year WHERE fin_year = 2024").Should().BeApproximately(24, 1e-9);
        t.One<int>("SELECT telecare_calls FROM person_year WHERE fin_year = 2024").Should().Be(2);
        t.One<int>("SELECT telecare_conveyances FROM person_year WHERE fin_year = 2024").Should().Be(1);
        t.One<double>("SELECT cost_ambulance FROM person_year WHERE fin_year = 2024").Should().Be(250);
    }

    [Fact]
    public void Contacts_AreCostedWhenAttended_WithTheirUnitCost()
    {
        // A&E by ambulance = 273 + 250; outpatient consultant-led 198, nurse-led (950) 129, DNA not costed;
        // GP 45, practice nurse 13, DNA not costed; community 86; mental health 302.
        using var t = new MartTestDb().Person(1, "1960-01")
            .Insert("ae", "person_id, provider_code, ec_ident, arrival_date, ec_arrival_mode_snomed_ct", "(1, 'RVV', 'A1', DATE '2024-05-01', '1048031000000100')")
            .Insert("op", "person_id, provider_code, opa_ident, appointment_date, attendance_status, first_attendance, treatment_function_code, main_specialty_code",
                "(1, 'RVV', 'O1', DATE '2024-05-02', '5', '1', '320', '320')", "(1, 'RVV', 'O2', DATE '2024-05-03', '6', '2', '320', '950')",
                "(1, 'RVV', 'O3', DATE '2024-05-04', '3', '2', '320', '320')")
            .Insert("gp_event", "person_id, provider_code, event_id, event_date, event_type, appt_status, hcp_type",
                "(1, 'G1', 'G1', DATE '2024-05-05', 'A', 'Attended', 'GP')", "(1, 'G1', 'G2', DATE '2024-05-06', 'A', 'Attended', 'Other Practice staff')",
                "(1, 'G1', 'G3', DATE '2024-05-07', 'A', 'DNA', 'GP')")
            .Insert("community", "person_id, provider_code, care_contact_id, contact_date, team_type, attendance_status", "(1, 'C', 'C1', DATE '2024-05-08', 'District nursing', '5')")
            .Insert("mental_health", "person_id, provider_code, uniq_care_cont_id, care_cont_date, serv_team_type_ref_to_mh", "(1, 'M', 'M1', DATE '2024-05-09', 'A06')")
            .Build();

        t.One<double>("SELECT cost_ae + cost_ambulance FROM person_year WHERE fin_year = 2024").Should().Be(523);
        t.One<double>("SELECT cost_op FROM person_year WHERE fin_year = 2024").Should().Be(327);
        t.One<int>("SELECT outpatient_attendances FROM person_year WHERE fin_year = 2024").Should().Be(2);
        t.One<double>("SELECT cost_gp FROM person_year WHERE fin_year = 2024").Should().Be(58);
        t.One<int>("SELECT gp_appointments FROM person_year WHERE fin_year = 2024").Should().Be(2);
        t.One<double>("SELECT cost_community + cost_mental_health FROM person_year WHERE fin_year = 2024").Should().Be(388);
        t.One<double>("SELECT total_cost FROM person_year WHERE fin_year = 2024").Should().Be(523 + 327 + 58 + 388);
        t.One<long>("SELECT count(*) FROM costed_activity WHERE cost_basis IS NULL OR cost IS NULL").Should().Be(0);
    }

    [Fact]
    public void UnitCosts_AreRestatedToAnotherPriceYear_WithTheInflationIndex()
    {
        var reference = new MartTestDb().Reference;
        // Index 2023/24 = 126.74, 2025/26 = 131.86: factor 1.0404.
        reference.Restate("2023/24", "2025/26").Should().BeApproximately(131.86m / 126.74m, 1e-9m);
        reference.Restate("2023/24", null).Should().Be(1m);
        reference.UnitCosts.Should().Contain(c => c.Item == "telecare_week" && c.Assumption);
        reference.UnitCostVersion.Should().StartWith("unit-costs-2023-24.1+");
    }
}
