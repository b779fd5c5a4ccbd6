using Dapper;
using System.Globalization;
using DuckDB.NET.Data;
using LinkedDataset.Analysis.Statistics;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Risk;

/// <summary>Options of the risk model: training sample size, ridge penalty, seed of the sample.</summary>
public sealed record RiskModelOptions(int SampleSize = 200_000, double Lambda = 1.0, int Seed = 42);

/// <summary>
/// Predicted probability of at least one emergency admission next financial year, from this year's
/// <c>person_year</c> row: an L2-regularised (ridge) logistic regression fitted in process by iteratively
/// reweighted least squares on standardised features, from a deterministic sample of one year pair.
/// </summary>
/// <remarks>
/// <para>Year pairs (t, t+1) need both years complete and the person in both (people who died or left
/// during t are not in t+1 and are not used). With two or more pairs the model is fitted on the
/// second-last pair and evaluated on the last (a held-out year); with one pair, a fifth of the people
/// (by person id) are held out instead, and the report says so. The fitted model scores every row of
/// <c>person_year</c>, stored as <c>risk_emergency_admission_next_year</c>.</para>
/// </remarks>
public sealed class RiskModel(RiskModelOptions? options = null) : IPersonYearScorer
{
    private readonly RiskModelOptions options = options ?? new RiskModelOptions();

    /// <summary>Features: name and SQL over a <c>person_year</c> row (null-safe).</summary>
    public static readonly IReadOnlyList<(string Name, string Sql)> Features =
    [
        ("age_0_4", "CAST(age_band = '0-4' AS DOUBLE)"),
        ("age_5_17", "CAST(age_band = '5-17' AS DOUBLE)"),
        ("age_45_64", "CAST(age_band = '45-64' AS DOUBLE)"),
        ("age_65_74", "CAST(age_band = '65-74' AS DOUBLE)"),
        ("age_75_84", "CAST(age_band = '75-84' AS DOUBLE)"),
        ("age_85_plus", "CAST(age_band = '85+' AS DOUBLE)"),
        ("female", "CAST(sex = '2' AS DOUBLE)"),
        ("imd_quintile", "CAST(coalesce(imd_quintile, 3) AS DOUBLE)"),
        ("efi_score_x10", "efi_score * 10"),
        ("ltc_count", "CAST(ltc_count AS DOUBLE)"),
        ("charlson_index", "CAST(least(charlson_index, 10) AS DOUBLE)"),
        ("emergency_admissions", "CAST(least(emergency_admissions, 5) AS DOUBLE)"),
        ("log_emergency_bed_days", "ln(1 + emergency_bed_days)"),
        ("ae_attendances", "CAST(least(ae_attendances, 10) AS DOUBLE)"),
        ("log_outpatient", "ln(1 + outpatient_attendances)"),
        ("log_gp", "ln(1 + gp_appointments)"),
        ("log_community", "ln(1 + community_contacts)"),
        ("log_mental_health", "ln(1 + mental_health_contacts)"),
        ("long_term_social_care", "CAST(long_term_social_care AS DOUBLE)"),
        ("care_home", "CAST(care_home AS DOUBLE)"),
        ("telecare_user", "CAST(telecare_user AS DOUBLE)"),
        ("telecare_calls", "CAST(least(telecare_calls, 10) AS DOUBLE)"),
        ("log_total_cost", "ln(1 + total_cost)"),
    ];

    public ScoreSummary Score(DuckDBConnection db)
    {
        var complete = db.Query<int>("SELECT fin_year FROM years WHERE year_complete ORDER BY fin_year").AsList();
        var pairs = complete.Where(y => complete.Contains(y + 1)).ToList();
        if (pairs.Count == 0)
        {
            return new ScoreSummary("none", new Dictionary<string, string> { ["reason"] = "fewer than two complete financial years: no outcome year to fit on" });
        }

        var (trainYear, testYear, holdout) = pairs.Count >= 2 ? (pairs[^2], pairs[^1], "year") : (pairs[0], pairs[0], "people");
        DuckDb.Execute(db, """
            CREATE OR REPLACE TABLE risk_outcome AS
            SELECT a.person_id, a.fin_year, b.emergency_admissions > 0 AS y
            FROM person_year a JOIN person_year b ON b.person_id = a.person_id AND b.fin_year = a.fin_year + 1
            """);
        var exclude = holdout == "people" ? "AND hash(p.person_id) % 5 <> 0" : "";
        // One row of every feature (named f0, f1, …) and the outcome; the feature list is data, so rows come back as Dapper's dynamic rows, in column order.
        var sample = db.Query($"""
            SELECT {string.Join(", ", Features.Select((f, i) => $"{f.Sql} AS f{i}"))}, CAST(o.y AS DOUBLE) AS outcome
            FROM person_year p JOIN risk_outcome o USING (person_id, fin_year)
            WHERE p.fin_year = {trainYear} {exclude}
            ORDER BY hash(p.person_id + {options.Seed}), p.person_id
            LIMIT {options.SampleSize}
            """).Select(row => ((IDictionary<string, object>)row).Values.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        if (sample.Count < 50 || sample.All(s => s[^1] == 0) || sample.All(s => s[^1] == 1))
        {
            return new ScoreSummary("none", new Dictionary<string, string> { ["reason"] = $"training sample of {sample.Count} rows has too few rows or one outcome only" });
        }

        var (intercept, coefficients, iterations) = RidgeLogisticRegression.Fit(sample, options.Lambda);
        var linear = intercept.ToString("R", CultureInfo.InvariantCulture) + " + " + string.Join(" + ",
            Features.Select((f, i) => $"({coefficients[i].ToString("R", CultureInfo.InvariantCulture)}) * ({f.Sql})"));
        // One column updated in place: rewriting the whole table (70 columns) to set it cost as much as building it.
        DuckDb.Execute(db, $"UPDATE person_year SET risk_emergency_admission_next_year = 1 / (1 + exp(-({linear})))");
        var testFilter = holdout == "people" ? $"p.fin_year = {testYear} AND hash(p.person_id) % 5 = 0" : $"p.fin_year = {testYear}";
        var auc = Auc(db, testFilter);
        var details = new Dictionary<string, string>
        {
            ["train_year"] = FinancialYear.Label(trainYear),
            ["test_year"] = FinancialYear.Label(testYear),
            ["holdout"] = holdout,
            ["test_filter"] = testFilter,
            ["sample_rows"] = sample.Count.ToString(CultureInfo.InvariantCulture),
            ["lambda"] = options.Lambda.ToString(CultureInfo.InvariantCulture),
            ["iterations"] = iterations.ToString(CultureInfo.InvariantCulture),
            ["auc"] = auc.ToString("F4", CultureInfo.InvariantCulture),
            ["intercept"] = intercept.ToString("G6", CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < Features.Count; i++)
        {
            details["coef." + Features[i].Name] = coefficients[i].ToString("G6", CultureInfo.InvariantCulture);
        }

        return new ScoreSummary("ridge logistic regression (IRLS, standardised features)", details);
    }

    /// <summary>Area under the ROC curve of the stored risk against the next-year outcome, for rows matching <paramref name="filter"/> (alias p).</summary>
    public static double Auc(DuckDBConnection db, string filter)
    {
        return DuckDb.Scalar<double>(db, $"""
            WITH e AS (
              SELECT p.risk_emergency_admission_next_year AS s, o.y
              FROM person_year p JOIN risk_outcome o USING (person_id, fin_year) WHERE {filter}
            ), r AS (
              SELECT y, rank() OVER (ORDER BY s) + (count(*) OVER (PARTITION BY s) - 1) / 2.0 AS rk FROM e
            ), n AS (SELECT count(*) FILTER (y) AS n1, count(*) FILTER (NOT y) AS n0 FROM e)
            SELECT (sum(rk) FILTER (y) - any_value(n1) * (any_value(n1) + 1) / 2.0) / (any_value(n1) * any_value(n0)) FROM r, n
            """);
    }
}
