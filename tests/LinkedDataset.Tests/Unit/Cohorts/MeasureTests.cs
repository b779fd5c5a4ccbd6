using FluentAssertions;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Tests.Support;
using LinkedDataset.Tests.Unit.Marts;

namespace LinkedDataset.Tests.Unit.Cohorts;

public class MeasureTests
{
    private const string ApcColumns = "person_id, provider_code, apcs_ident, admission_date, discharge_date, admission_method, patient_classification, primary_diagnosis, secondary_diagnoses, treatment_function_code";

    [Fact]
    public void Intervals_MatchPublishedValues()
    {
        // Wilson 5/10: 0.2366 to 0.7634. Exact Poisson for 10: 4.7954 to 18.3904 (Garwood tables).
        Intervals.Wilson(5, 10).Should().Match<Interval>(i => Math.Abs(i.Lower - 0.2366) < 1e-4 && Math.Abs(i.Upper - 0.7634) < 1e-4);
        Intervals.Garwood(10).Should().Match<Interval>(i => Math.Abs(i.Lower - 4.7954) < 1e-4 && Math.Abs(i.Upper - 18.3904) < 1e-4);
    }

    [Fact]
    public void DirectlyStandardisedRate_AndItsDobsonInterval_AreAsWorkedByHand()
    {
        // Two strata of equal weight: 10 events / 1,000 and 40 / 2,000. DSR = 0.5 × 0.01 + 0.5 × 0.02 = 0.015 = 15 per 1,000.
        // O = 50; V = 0.25 × 10 / 1000² + 0.25 × 40 / 2000² = 5e-6; √(V/O) = 3.1623e-4.
        // Byar for 50: 37.1081 to 65.9202. Dobson: (0.015 + 3.1623e-4 × (37.1081 − 50)) × 1000 = 10.923; upper 20.034.
        (long, double, double)[] strata = [(10, 1000, 1), (40, 2000, 1)];

        Intervals.Dsr(strata, 1000).Should().BeApproximately(15, 1e-9);
        var ci = Intervals.Dobson(strata, 1000);
        ci.Lower.Should().BeApproximately(10.923, 1e-3);
        ci.Upper.Should().BeApproximately(20.034, 1e-3);
    }

    [Fact]
    public void FunnelLimits_AtExpectedTen_AreTheExactPoissonLimits()
    {
        // 95 %: χ²(0.025, 20)/2/10 = 9.59078/20 = 0.47954; χ²(0.975, 22)/2/10 = 36.78071/20 = 1.83904.
        var limits = Intervals.FunnelLimits(10, 0.95);
        limits.Lower.Should().BeApproximately(0.47954, 1e-5);
        limits.Upper.Should().BeApproximately(1.83904, 1e-5);
        // 99.8 % limits lie outside the 95 % ones.
        Intervals.FunnelLimits(10, 0.998).Should().Match<Interval>(i => i.Lower < limits.Lower && i.Upper > limits.Upper);
    }

    [Fact]
    public void PersonTimeRate_CountsTimeAtRiskToAMidYearExit()
    {
        // 2024/25: person 1 at risk all 365 days, one emergency admission; person 2 dies on 30 September 2024 (183 days at risk,
        // 1 April to 30 September), one emergency admission before. Person-years = 548 / 365.25 = 1.50034.
        // Rate = 2 / 1.50034 × 1,000 = 1,333.03 per 1,000 person-years.
        using var t = new MartTestDb().Person(1, "1950-01").Person(2, "1950-01", died: "2024-09-30")
            .Insert("apc", ApcColumns,
                "(1, 'R', 'S1', DATE '2024-06-01', DATE '2024-06-02', '21', '1', 'R69', NULL, '300')",
                "(2, 'R', 'S2', DATE '2024-08-01', DATE '2024-08-03', '21', '1', 'R69', NULL, '300')")
            .Build();
        using var folder = new TempFolder();
        var file = CohortBuilderTests.Write(folder, "pt.measure.yaml", """
            name: pt
            numerator: { kind: person_time, activity: { setting: apc_emergency } }
            intervals: { unit: financial_year, from: 2024-04-01, to: 2024-04-01 }
            """);

        var (values, _) = MeasureRunner.Compute(t.Db, MeasureParser.Load(file), new DataWindow(new DateOnly(2024, 4, 1), new DateOnly(2026, 3, 31)), new SdcPolicy(0, 1));

        var value = values.Should().ContainSingle().Subject;
        value.Interval.Should().Be("2024/25");
        value.Numerator.Should().Be(2);
        value.Denominator.Should().Be(1.5);
        value.Value.Should().BeApproximately(1333.03, 0.01);
    }

    [Fact]
    public void PersonTimeRate_ByPractice_GivesAPersonWhoMovedPracticeTheLatestPractice_AndBothRegistrationsDays()
    {
        // 2024/25 (one interval): person 1 registered at G1 to 30 September 2024 (183 days) then at G2 from 1 October
        // (182 days), one emergency admission on 1 June while at G1; person 2 at G1 all year. A person's practice for an
        // interval is that of their latest registration in it, so person 1's whole year and admission count under G2:
        // G1 0 admissions over 365 / 365.25 = 0.9993 person-years (released as 1.0); G2 1 admission over 183 + 182 = 365
        // days, the same 1.0, rate 1 / 0.99932 × 1,000 = 1,000.68.
        using var t = new MartTestDb().Person(1, "1950-01").Person(2, "1950-01")
            .Insert("apc", ApcColumns, "(1, 'R', 'S1', DATE '2024-06-01', DATE '2024-06-02', '21', '1', 'R69', NULL, '300')")
            .Build();
        LinkedDataset.Pipeline.Storage.DuckDb.Execute(t.Db, """
            UPDATE registration SET registration_end_date = DATE '2024-09-30' WHERE person_id = 1;
            INSERT INTO registration VALUES (1, 'R1b', 'G2', DATE '2024-10-01', NULL, NULL);
            """);
        using var folder = new TempFolder();
        var file = CohortBuilderTests.Write(folder, "practice.measure.yaml", """
            name: practice
            numerator: { kind: person_time, activity: { setting: apc_emergency } }
            intervals: { unit: financial_year, from: 2024-04-01, to: 2024-04-01 }
            group_by: [practice]
            """);

        var (values, _) = MeasureRunner.Compute(t.Db, MeasureParser.Load(file), new DataWindow(new DateOnly(2024, 4, 1), new DateOnly(2026, 3, 31)), new SdcPolicy(0, 1));

        values.Select(v => (v.Group1, v.Numerator, v.Denominator)).Should().Equal(("G1", 0L, 1.0), ("G2", 1L, 1.0));
        values.Single(v => v.Group1 == "G2").Value.Should().BeApproximately(1000.68, 0.01);
    }
}
