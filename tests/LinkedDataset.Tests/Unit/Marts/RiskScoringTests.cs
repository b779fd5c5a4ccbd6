using FluentAssertions;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Unit.Marts;

/// <summary>The risk model's fit → score → held-out evaluation path, on a person_year with three complete years.</summary>
public sealed class RiskScoringTests
{
    [Fact]
    public void Score_FitsOnTheSecondLastPair_ScoresEveryRow_AndRanksTheHeldOutYearAsWorkedByHand()
    {
        // 2,000 people × 2022/23, 2023/24, 2024/25, all complete: pairs (2022, 2023) and (2023, 2024), so the
        // model is fitted on the second-last pair (2022 → 2023) and evaluated on the last (2023 → 2024,
        // a held-out year). Every 4th person is frail (age 85+, eFI 0.3): an emergency
        // admission in 70% of their years; others (age 18-44, eFI 0.05) in 10%. Which years is a hash of
        // (person, year), independent from year to year, so this year's admissions carry no extra signal.
        // Held-out 2023: positives 0.7·500 = 350 frail + 0.1·1,500 = 150 other; negatives 150 frail + 1,350 other.
        // A model ranking every frail person above every other (ties within a group counting half) has
        // AUC = (350·1,350 + ½(350·150 + 150·1,350)) / (500·1,500) = (472,500 + 127,500) / 750,000 = 0.80.
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        DuckDb.Execute(db, """
            CREATE TABLE years AS SELECT * FROM (VALUES (2022, true), (2023, true), (2024, true)) t(fin_year, year_complete);
            CREATE TABLE person_year AS
            WITH base AS (
              SELECT i AS person_id, y AS fin_year, i % 4 = 0 AS frail, hash(i * 31 + y) % 10 AS draw
              FROM range(2000) a(i), (VALUES (2022), (2023), (2024)) b(y)
            )
            SELECT person_id, fin_year, true AS year_complete,
                   CASE WHEN frail THEN '85+' ELSE '18-44' END AS age_band,
                   CAST(1 + person_id % 2 AS VARCHAR) AS sex, 1 + person_id % 5 AS imd_quintile,
                   CASE WHEN frail THEN 0.3 ELSE 0.05 END::DOUBLE AS efi_score, person_id % 3 AS ltc_count, person_id % 2 AS charlson_index,
                   CASE WHEN (frail AND draw < 7) OR (NOT frail AND draw < 1) THEN 1 ELSE 0 END AS emergency_admissions,
                   CAST(person_id % 7 AS DOUBLE) AS emergency_bed_days, person_id % 4 AS ae_attendances, person_id % 6 AS outpatient_attendances,
                   person_id % 9 AS gp_appointments, person_id % 5 AS community_contacts, person_id % 3 AS mental_health_contacts,
                   person_id % 11 = 0 AS long_term_social_care, person_id % 13 = 0 AS care_home, person_id % 7 = 0 AS telecare_user,
                   person_id % 3 AS telecare_calls, CAST(100 * (person_id % 17) AS DOUBLE) AS total_cost,
                   NULL::DOUBLE AS risk_emergency_admission_next_year
            FROM base;
            """);

        var summary = new RiskModel().Score(db);

        summary.Details["holdout"].Should().Be("year");
        summary.Details["train_year"].Should().Be("2022/23");
        summary.Details["test_year"].Should().Be("2023/24");
        double.Parse(summary.Details["auc"], System.Globalization.CultureInfo.InvariantCulture).Should().BeApproximately(0.80, 0.04);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM person_year WHERE risk_emergency_admission_next_year IS NULL").Should().Be(0, "every row is scored");

        // Calibration: frail people are predicted near their 70% next-year rate, the others near 10%.
        DuckDb.Scalar<double>(db, "SELECT avg(risk_emergency_admission_next_year) FROM person_year WHERE fin_year = 2023 AND age_band = '85+'").Should().BeApproximately(0.7, 0.1);
        DuckDb.Scalar<double>(db, "SELECT avg(risk_emergency_admission_next_year) FROM person_year WHERE fin_year = 2023 AND age_band = '18-44'").Should().BeApproximately(0.1, 0.05);
    }
}
