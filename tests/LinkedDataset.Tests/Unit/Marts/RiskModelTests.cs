using DuckDB.NET.Data;
using FluentAssertions;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Analysis.Statistics;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Unit.Marts;

public class RiskModelTests
{
    [Fact]
    public void Fit_RecoversTheCoefficientsOfALogisticModel()
    {
        // y ~ Bernoulli(1 / (1 + exp(-(-1 + 2 x1 + 0 x2)))), x1 ~ N(0, 1), x2 ~ N(5, 2): 20,000 rows.
        var random = new Random(11);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var rows = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var x1 = Normal();
            var x2 = 5 + 2 * Normal();
            var p = 1 / (1 + Math.Exp(-(-1 + 2 * x1)));
            return new[] { x1, x2, random.NextDouble() < p ? 1.0 : 0.0 };
        }).ToList();

        var (intercept, coefficients, _) = RidgeLogisticRegression.Fit(rows, lambda: 0.01);

        intercept.Should().BeApproximately(-1, 0.15);
        coefficients[0].Should().BeApproximately(2, 0.1);
        coefficients[1].Should().BeApproximately(0, 0.03);
    }

    [Fact]
    public void Fit_ShrinksCoefficients_AsThePenaltyGrows()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 2_000).Select(_ =>
        {
            var x = random.NextDouble() * 4 - 2;
            return new[] { x, random.NextDouble() < 1 / (1 + Math.Exp(-1.5 * x)) ? 1.0 : 0.0 };
        }).ToList();

        var weak = RidgeLogisticRegression.Fit(rows, 0.01).Coefficients[0];
        var strong = RidgeLogisticRegression.Fit(rows, 2_000).Coefficients[0];
        Math.Abs(strong).Should().BeLessThan(Math.Abs(weak) / 2);
    }

    [Fact]
    public void Auc_IsTheShareOfPositiveNegativePairsRankedRight_WithTiesCountingHalf()
    {
        // Positives 0.4, 0.8 and 0.5; negatives 0.1 and 0.5. Pairs: (0.4, 0.1) right, (0.4, 0.5) wrong, (0.8, 0.1) right,
        // (0.8, 0.5) right, (0.5, 0.1) right, (0.5, 0.5) tie = 1/2: (4 + 0.5) / 6 = 0.75.
        using var db = DuckDb.OpenInMemory(new DuckDbLimits(1, "1GB"));
        DuckDb.Execute(db, """
            CREATE TABLE person_year AS SELECT * FROM (VALUES (1, 2024, 0.4), (2, 2024, 0.8), (3, 2024, 0.5), (4, 2024, 0.1), (5, 2024, 0.5))
              t(person_id, fin_year, risk_emergency_admission_next_year);
            CREATE TABLE risk_outcome AS SELECT * FROM (VALUES (1, 2024, true), (2, 2024, true), (3, 2024, true), (4, 2024, false), (5, 2024, false))
              t(person_id, fin_year, y);
            """);

        RiskModel.Auc(db, "p.fin_year = 2024").Should().BeApproximately(0.75, 1e-12);
    }
}
