// Dapper's AOT analyzers (active in this project since the ASP.NET Core reference) ask for Dapper.AOT; these tests use plain Dapper.
#pragma warning disable DAP005, DAP028

using FluentAssertions;
using LinkedDataset.Pipeline.Marts;

namespace LinkedDataset.Tests.Unit.Marts;

public class SegmentTests
{
    private const string ApcColumns = "person_id, provider_code, apcs_ident, admission_date, discharge_date, admission_method, patient_classification, primary_diagnosis, secondary_diagnoses, treatment_function_code";

    [Theory]
    [InlineData(4, "fit")]      // 4/36 = 0.111 <= 0.12
    [InlineData(5, "mild")]     // 5/36 = 0.139
    [InlineData(8, "mild")]     // 8/36 = 0.222 <= 0.24
    [InlineData(9, "moderate")] // 9/36 = 0.25
    [InlineData(12, "moderate")] // 12/36 = 0.333 <= 0.36
    [InlineData(13, "severe")]  // 13/36 = 0.361
    public void Efi_CountsDistinctCodedDeficitsBeforeTheYear_AndCategorisesTheUnroundedScore(int deficits, string category)
    {
        using var t = new MartTestDb().Person(1, "1935-01");
        // One code from each of the first n deficits (codes in one deficit list only and in no LTC list, so the polypharmacy proxy stays off),
        // each recorded twice, plus a code of another deficit on 1 April 2024 itself (not before the year: not counted).
        var codes = Codes(t, deficits + 1);
        foreach (var code in codes.Take(deficits))
        {
            t.Code(1, code, "2020-01-01").Code(1, code, "2023-06-01");
        }

        t.Code(1, codes[^1], "2024-04-01").Build();

        t.One<int>("SELECT efi_deficits FROM person_year WHERE fin_year = 2024").Should().Be(deficits);
        t.One<double>("SELECT efi_score FROM person_year WHERE fin_year = 2024").Should().BeApproximately(deficits / 36.0, 1e-12);
        t.One<string>("SELECT efi_category FROM person_year WHERE fin_year = 2024").Should().Be(category);
        Segments.EfiCategory(deficits).Should().Be(category);
        // The code dated 1 April 2024 counts from the next year.
        t.One<int>("SELECT efi_deficits FROM person_year WHERE fin_year = 2025").Should().Be(deficits + 1);
    }

    [Fact]
    public void PolypharmacyProxy_IsThe36thDeficit_WhenTheConditionsImplyFiveOrMoreMedications()
    {
        // Hypertension (2) + diabetes (2) = 4: no; + heart failure (3) = 7: the 36th deficit.
        using var t = new MartTestDb().Person(1, "1935-01").Person(2, "1935-01");
        t.Code(1, Ltc(t, "hypertension"), "2020-01-01").Code(1, Ltc(t, "diabetes"), "2020-01-01");
        t.Code(2, Ltc(t, "hypertension"), "2020-01-01").Code(2, Ltc(t, "diabetes"), "2020-01-01").Code(2, Ltc(t, "heart-failure"), "2020-01-01").Build();

        t.One<bool>("SELECT efi_polypharmacy_proxy FROM person_year WHERE person_id = 1 AND fin_year = 2024").Should().BeFalse();
        t.One<bool>("SELECT efi_polypharmacy_proxy FROM person_year WHERE person_id = 2 AND fin_year = 2024").Should().BeTrue();
        t.One<int>("SELECT ltc_count FROM person_year WHERE person_id = 2 AND fin_year = 2024").Should().Be(3);
        t.One<bool>("SELECT multimorbidity FROM person_year WHERE person_id = 1 AND fin_year = 2024").Should().BeTrue();
    }

    [Fact]
    public void Charlson_SumsQuanConditions_WithAndWithoutTheHierarchy()
    {
        // Person 1: diabetes without complications (E119, 1) + any malignancy (C349, 2) = 3: no pair, no hierarchy.
        // Person 2: E119 (1), E112 diabetes with complications (2), C349 (2), C780 metastatic (6), K703 mild liver (1),
        // K721 moderate/severe liver (3): 15 without the hierarchy; with it the milder of each pair counts 0: 2 + 6 + 3 = 11.
        // Person 3: I252 old MI (1) counts, I259 does not; J449 COPD (1) in a spell admitted on 1 April 2024 counts from 2025/26.
        using var t = new MartTestDb().Person(1, "1950-01").Person(2, "1950-01").Person(3, "1950-01")
            .Insert("apc", ApcColumns,
                "(1, 'R', 'S1', DATE '2023-05-01', DATE '2023-05-02', '21', '1', 'E119', 'C349', '300')",
                "(2, 'R', 'S2', DATE '2023-05-01', DATE '2023-05-02', '21', '1', 'E119', 'E112,C349,C780', '300')",
                "(2, 'R', 'S3', DATE '2022-05-01', DATE '2022-05-02', '11', '1', 'K703', 'K721', '300')",
                "(3, 'R', 'S4', DATE '2023-05-01', DATE '2023-05-02', '11', '1', 'I252', 'I259', '300')",
                "(3, 'R', 'S5', DATE '2024-04-01', DATE '2024-04-02', '11', '1', 'J449', NULL, '300')")
            .Build();

        t.One<int>("SELECT charlson_index FROM person_year WHERE person_id = 1 AND fin_year = 2024").Should().Be(3);
        t.One<int>("SELECT charlson_index FROM person_year WHERE person_id = 2 AND fin_year = 2024").Should().Be(11);
        t.One<int>("SELECT charlson_index FROM person_year WHERE person_id = 3 AND fin_year = 2024").Should().Be(1);
        t.One<int>("SELECT charlson_index FROM person_year WHERE person_id = 3 AND fin_year = 2025").Should().Be(2);
        t.One<long>("SELECT CAST(sum(weight) AS BIGINT) FROM (SELECT DISTINCT condition, weight FROM charlson_diagnosis WHERE person_id = 2)").Should().Be(15);
    }

    [Fact]
    public void Demographics_AgeBandSexImd_AndCareFlags_AreTakenAtTheStartOfTheYear()
    {
        // Born March 1959: 65 on 1 April 2024 (65-74). Long-term home care open on 31 March 2025 (so long-term social care
        // in 2025/26 but not 2024/25); a telecare package installed 1 April 2024 makes a telecare user from 2025/26 only.
        using var t = new MartTestDb().Person(1, "1959-03", sex: "1")
            .Insert("social_care", "person_id, provider_code, event_reference, la_person_unique_identifier, client_type, event_type, event_start_date, service_type, service_component, planned_units_per_week, unit_cost, cost_frequency_unit_type",
                "(1, '886', 'SC1', 'LA1', 'Service User', 'Service', DATE '2024-10-01', 'Long Term Support: Community', 'Home Support', 10, 27, 'Hourly')")
            .Insert("telecare", "person_id, provider_code, tec_event_id, client_id, event_type, event_date, trigger_device_type",
                "(1, '886', 'T1', 'C1', 'INSTALL', DATE '2024-04-01', 'pendant')")
            .Build();

        t.One<int>("SELECT age FROM person_year WHERE fin_year = 2024").Should().Be(65);
        t.One<string>("SELECT age_band FROM person_year WHERE fin_year = 2024").Should().Be("65-74");
        t.One<string>("SELECT sex || '/' || imd_decile || '/' || imd_quintile FROM person_year WHERE fin_year = 2024").Should().Be("1/3/2");
        t.Many<bool>("SELECT long_term_social_care FROM person_year ORDER BY fin_year").Should().Equal(false, true);
        t.Many<bool>("SELECT telecare_user FROM person_year ORDER BY fin_year").Should().Equal(false, true);
        t.Many<bool>("SELECT care_home FROM person_year ORDER BY fin_year").Should().Equal(false, false);
        t.One<bool?>("SELECT lives_alone FROM person_year WHERE fin_year = 2024").Should().BeNull("the person table has no household columns");
        t.One<string>("SELECT efi_codelist_version FROM person_year WHERE fin_year = 2024").Should().StartWith("efi-gmsde-2016clegg.1+");
        t.One<string>("SELECT charlson_codelist_version FROM person_year WHERE fin_year = 2024").Should().StartWith("charlson-quan2005.1+");
        t.One<int>("SELECT months_registered FROM person_year WHERE fin_year = 2024").Should().Be(12);
    }

    [Fact]
    public void LivesAlone_ComesFromHouseholdColumns_WhenThePersonTableHasThem()
    {
        using var t = new MartTestDb().Person(1, "1950-01").Person(2, "1950-01").Person(3, "1950-01");
        t.Insert("person", "person_id", "(99)"); // no registration: never in person_year
        Dapper.SqlMapper.Execute(t.Db, "ALTER TABLE person ADD COLUMN household_id VARCHAR; UPDATE person SET household_id = CASE WHEN person_id = 1 THEN 'H1' ELSE 'H2' END");
        t.Build();

        t.Many<bool>("SELECT lives_alone FROM person_year WHERE fin_year = 2024 ORDER BY person_id").Should().Equal(true, false, false);
    }

    [Theory]
    [InlineData("end_of_life")]
    [InlineData("frailty")]
    [InlineData("complex_chronic")]
    [InlineData("maternity_infancy")]
    [InlineData("stable_chronic")]
    [InlineData("acutely_ill")]
    [InlineData("healthy")]
    public void BridgesToHealth_AssignsTheFirstSegmentWhoseRuleApplies(string segment)
    {
        using var t = new MartTestDb();
        switch (segment)
        {
            case "end_of_life": // palliative care code, even with 3 LTCs and frailty
                t.Person(1, "1940-01").Code(1, Palliative(t), "2023-01-01").Code(1, Ltc(t, "copd"), "2020-01-01")
                    .Code(1, Ltc(t, "asthma"), "2020-01-01").Code(1, Ltc(t, "depression"), "2020-01-01");
                break;
            case "frailty": // age 65+ with dementia (and 3 LTCs, which frailty outranks)
                t.Person(1, "1940-01").Code(1, Ltc(t, "dementia"), "2020-01-01").Code(1, Ltc(t, "asthma"), "2020-01-01").Code(1, Ltc(t, "depression"), "2020-01-01");
                break;
            case "complex_chronic": // 1 LTC and 2 emergency admissions in the 12 months before
                t.Person(1, "1980-01").Code(1, Ltc(t, "asthma"), "2020-01-01")
                    .Insert("apc", ApcColumns, "(1, 'R', 'S1', DATE '2023-06-01', DATE '2023-06-02', '21', '1', 'J459', NULL, '300')",
                        "(1, 'R', 'S2', DATE '2024-01-01', DATE '2024-01-02', '21', '1', 'J459', NULL, '300')");
                break;
            case "maternity_infancy": // a maternity admission in the 12 months before, with 1 LTC (which it outranks)
                t.Person(1, "1995-01").Code(1, Ltc(t, "asthma"), "2020-01-01")
                    .Insert("apc", ApcColumns, "(1, 'R', 'S1', DATE '2023-09-01', DATE '2023-09-03', '31', '1', 'O800', NULL, '501')");
                break;
            case "stable_chronic": // 1 LTC
                t.Person(1, "1980-01").Code(1, Ltc(t, "asthma"), "2020-01-01");
                break;
            case "acutely_ill": // 2 A&E attendances in the 12 months before, no LTC
                t.Person(1, "1980-01").Insert("ae", "person_id, provider_code, ec_ident, arrival_date, ec_arrival_mode_snomed_ct",
                    "(1, 'R', 'A1', DATE '2023-06-01', '1048071000000103')", "(1, 'R', 'A2', DATE '2023-07-01', '1048071000000103')");
                break;
            default: // nothing recorded
                t.Person(1, "1980-01");
                break;
        }

        t.Build();
        t.One<string>("SELECT segment FROM person_year WHERE fin_year = 2024").Should().Be(segment);
    }

    [Fact]
    public void BabyBornInTheYear_IsInThatYear_AsMaternityAndInfancy()
    {
        using var t = new MartTestDb();
        t.Person(1, "2024-09");
        DapperRegistrationFrom(t, 1, "2024-09-15");
        t.Build();
        t.One<string>("SELECT segment || '/' || age || '/' || months_registered FROM person_year WHERE fin_year = 2024").Should().Be("maternity_infancy/0/7");
    }

    private static void DapperRegistrationFrom(MartTestDb t, long person, string date) =>
        Dapper.SqlMapper.Execute(t.Db, $"UPDATE registration SET registration_start_date = DATE '{date}' WHERE person_id = {person}");

    private static List<string> Codes(MartTestDb t, int n) => t.Many<string>($"""
        SELECT min(code) FROM ref_efi
        WHERE code NOT IN (SELECT code FROM ref_ltc) AND code IN (SELECT code FROM ref_efi GROUP BY code HAVING count(*) = 1)
        GROUP BY deficit ORDER BY deficit LIMIT {n}
        """);

    private static string Ltc(MartTestDb t, string condition) => t.One<string>($"SELECT min(code) FROM ref_ltc WHERE condition = '{condition}'");

    private static string Palliative(MartTestDb t) => t.One<string>("SELECT min(code) FROM ref_palliative");
}
