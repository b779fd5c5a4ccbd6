using System.Globalization;
using Dapper;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Risk;

/// <summary>One decile of predicted risk on the held-out set, after disclosure control.</summary>
/// <param name="Decile">1 = lowest predicted risk.</param>
/// <param name="MeanPredicted">Mean predicted probability in the decile (not a count).</param>
/// <param name="Observed">People with an emergency admission next year / people, protected; rate per 100.</param>
public sealed record CalibrationRow(int Decile, double MeanPredicted, ProtectedRate Observed);

/// <summary>The released risk report: AUC (not a count) and the disclosure-controlled calibration table.</summary>
public sealed record RiskReportAnswer(
    string SnapshotId, string Model, string TrainYear, string TestYear, string Holdout, double Auc,
    IReadOnlyList<CalibrationRow> Calibration, string Policy);

/// <summary>
/// Evaluates the risk stored on <c>person_year</c> on the held-out set recorded in <c>marts.json</c>:
/// the area under the ROC curve, and a calibration table by decile of predicted risk (mean predicted vs
/// observed share with an emergency admission next year).
/// </summary>
public static class RiskReport
{
    private sealed record Decile(int D, double MeanPredicted, long Events, long People);

    public static RiskReportAnswer Compute(DatasetLayout layout, SdcPolicy policy, string? snapshotId = null, DuckDbLimits? limits = null)
    {
        using var db = DuckDb.OpenInMemory(limits);
        var opened = MartsReader.CreateViews(db, layout, snapshotId);
        var manifest = MartsReader.ReadManifest(layout, opened);
        if (manifest.Score is not { } score || !score.Details.TryGetValue("test_filter", out var filter))
        {
            var reason = manifest.Score?.Details.GetValueOrDefault("reason") ?? "the marts were built without a risk model";
            throw new PipelineException($"No risk model in the marts of snapshot {opened}: {reason}.");
        }

        DuckDb.Execute(db, """
            CREATE TABLE risk_outcome AS
            SELECT a.person_id, a.fin_year, b.emergency_admissions > 0 AS y
            FROM person_year a JOIN person_year b ON b.person_id = a.person_id AND b.fin_year = a.fin_year + 1
            """);
        var auc = RiskModel.Auc(db, filter);
        var deciles = db.Query<Decile>($"""
            WITH e AS (
              SELECT p.risk_emergency_admission_next_year AS s, o.y,
                     ntile(10) OVER (ORDER BY p.risk_emergency_admission_next_year, p.person_id) AS d
              FROM person_year p JOIN risk_outcome o USING (person_id, fin_year) WHERE {filter}
            )
            SELECT CAST(d AS INTEGER) AS D, avg(s) AS MeanPredicted, CAST(count(*) FILTER (y) AS BIGINT) AS Events, CAST(count(*) AS BIGINT) AS People
            FROM e GROUP BY d ORDER BY d
            """).ToList();
        var released = DisclosureControl.ProtectRates(
            deciles.Select(d => new RateCell([d.D.ToString(CultureInfo.InvariantCulture)], d.Events, d.People)), policy, per: 100);
        return new RiskReportAnswer(
            opened, score.Model, score.Details["train_year"], score.Details["test_year"], score.Details["holdout"], auc,
            deciles.Zip(released, (d, r) => new CalibrationRow(d.D, d.MeanPredicted, r)).ToList(), policy.Describe());
    }
}
