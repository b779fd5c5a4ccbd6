using FluentAssertions;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Unit.Evaluation;

/// <summary>
/// A comparator who is referred later is followed only up to the start of the naive before-period of their own
/// referral: people are referred after a crisis in their use, and counting that crisis in a comparator's
/// follow-up makes the programme look as if it prevented it.
/// </summary>
public class ComparatorCensoringTests
{
    // Windows: pre −4..−3, naive before −2..0, post 1..3 (months relative to the index month).
    private static readonly EventWindows Windows = new(PreFrom: -4, PreTo: -3, PostFrom: 1, PostTo: 3, NaivePreFrom: -2, NaivePreTo: 0);

    [Fact]
    public void Evaluate_ComparatorReferredLater_IsCensoredBeforeTheCrisisThatPromptedTheReferral_SoATrueZeroEffectIsEstimatedAsZero()
    {
        // Three people, all women born 1975-01, same IMD quintile, so every propensity score is equal and 1:2 matching
        // takes both others. Each has one A&E attendance a month from Sep 2024 to May 2025, three in crisis months.
        //   1 treated: starts 15 Jan 2025 (index month 0 = Jan); crisis Dec and Jan (months −1, 0). The programme does
        //     nothing (true effect 0): pre (Sep, Oct) 12 a year, post (Feb–Apr) 12 a year, change 0.
        //   2 never referred: 12 a year throughout, change 0.
        //   3 referred 10 May 2025 (month 4): crisis Mar–May, the naive before-period (−2..0) of their own referral.
        //     New rule: followed until 1 Mar (month 4 − 2 = month 2), so post = Feb only, 1 in 1 month = 12 a year, change 0.
        //     DiD = (12 − 12) − mean(0, 0) = 0 exactly.
        //     Old rule (followed to the referral date): post Feb 1 + Mar 3 + Apr 3 = 7 in 3 months = 28 a year, change +16;
        //     DiD = 0 − mean(0, 16) = −8 A&E attendances per person-year: a spurious "reduction" of 8 (rate ratio 12/20 = 0.6).
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, """
            CREATE TABLE person AS SELECT * FROM (VALUES
              (1, '1975-01', '2', 3, DATE '2010-01-01', CAST(NULL AS DATE), CAST(NULL AS DATE)),
              (2, '1975-01', '2', 3, DATE '2010-01-01', NULL, NULL),
              (3, '1975-01', '2', 3, DATE '2010-01-01', NULL, NULL))
              t(person_id, birth_month, sex, imd_quintile, first_registered, registered_until, date_of_death);
            CREATE TABLE intervention AS SELECT * FROM (VALUES
              (1, 'SP', DATE '2025-01-10', DATE '2025-01-15'),
              (3, 'SP', DATE '2025-05-10', DATE '2025-05-20'))
              t(person_id, programme_code, referral_date, start_date);
            CREATE TABLE op (person_id BIGINT, appointment_date DATE, attendance_status VARCHAR);
            CREATE TABLE ae AS
            SELECT p.person_id, CAST(m.month + INTERVAL (k * 1) DAY + INTERVAL 4 DAY AS DATE) AS arrival_date
            FROM (SELECT unnest([1, 2, 3]) AS person_id) p
            CROSS JOIN (SELECT CAST(range AS DATE) AS month FROM range(DATE '2024-09-01', DATE '2025-06-01', INTERVAL 1 MONTH)) m
            CROSS JOIN range(3) r(k)
            WHERE k = 0
               OR (p.person_id = 1 AND m.month IN (DATE '2024-12-01', DATE '2025-01-01'))
               OR (p.person_id = 3 AND m.month IN (DATE '2025-03-01', DATE '2025-04-01', DATE '2025-05-01'));
            """);
        var spec = new EvaluationSpec
        {
            Windows = Windows,
            Covariates = ["female"],
            Outcomes = ["ae_attendances"],
            NegativeControl = null,
            Matching = new MatchingOptions(Ratio: 2),
            Replicates = 0,
        };

        var result = Evaluator.Evaluate(db, spec, "hand-made tables", hasPersonYear: false);

        result.Matching.Sets.Should().ContainSingle().Which.ComparatorIds.Should().Equal(2, 3);
        var ae = result.Outcomes.Single().All;
        ae.TreatedPre.Should().BeApproximately(12, 1e-9);
        ae.TreatedPost.Should().BeApproximately(12, 1e-9);
        ae.ComparatorPost.Should().BeApproximately(12, 1e-9, "person 3's crisis months (March on) are not follow-up");
        ae.Effect.Value.Should().BeApproximately(0, 1e-9);
    }
}
