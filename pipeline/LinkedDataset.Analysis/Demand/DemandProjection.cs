using System.Diagnostics;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Demand;

/// <summary>What to project: a scenario file against the marts of a snapshot (default the current one).</summary>
/// <param name="Layout">The dataset.</param>
/// <param name="ScenarioPath">The scenario file (YAML).</param>
/// <param name="SnapshotId">Snapshot whose <c>person_year</c> gives the baseline; null = current.</param>
/// <param name="OutputFolder">Where the CSVs and report go; null = <c>&lt;data&gt;/outputs/demand/&lt;scenario file name&gt;/</c>.</param>
/// <param name="Runs">Overrides the scenario's Monte Carlo runs.</param>
/// <param name="Seed">Overrides the scenario's seed.</param>
/// <param name="Limits">DuckDB limits.</param>
public sealed record DemandOptions(
    DatasetLayout Layout, string ScenarioPath, string? SnapshotId = null, string? OutputFolder = null, int? Runs = null, int? Seed = null, DuckDbLimits? Limits = null);

/// <summary>Where the inputs came from, for the report and <c>provenance.json</c>.</summary>
public sealed record DemandProvenance(
    string SnapshotId, string ScenarioFile, string ScenarioSha256, int Seed, int Runs, bool CountNoise,
    IReadOnlyDictionary<string, string> ProjectionFiles, IReadOnlyList<string> Areas, string BaselinePriceYear, string PriceYear,
    string UnitCostVersion, string SegmentRulesVersion, string PoolingRule);

/// <summary>The projection: the scenario, baseline, runs, output files and timings.</summary>
public sealed record DemandResult(
    Scenario Scenario, Baseline Baseline, DemandRuns Runs, DemandProvenance Provenance, string OutputFolder,
    IReadOnlyList<string> Files, IReadOnlyDictionary<string, double> Seconds);

/// <summary>
/// <c>ldp demand</c>: reads a scenario, computes the baseline from the snapshot's <c>person_year</c> on a sandboxed
/// connection, reads the population projections, runs the model and writes CSVs and the HTML report.
/// </summary>
public static class DemandProjection
{
    /// <summary>Runs the projection.</summary>
    /// <exception cref="PipelineException">The scenario, marts or projection files do not fit (a message names what and where).</exception>
    public static DemandResult Run(DemandOptions options, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var loaded = ScenarioReader.Read(options.ScenarioPath);
        var scenario = loaded.Scenario with
        {
            MonteCarlo = loaded.Scenario.MonteCarlo with
            {
                Runs = options.Runs ?? loaded.Scenario.MonteCarlo.Runs, Seed = options.Seed ?? loaded.Scenario.MonteCarlo.Seed,
            },
        };
        var reference = MartReference.Load();
        var (db, snapshotId) = SandboxedSnapshot.Open(options.Layout, options.SnapshotId, options.Limits, withMarts: true);
        Baseline baseline;
        using (db)
        {
            var marts = MartsReader.ReadManifest(options.Layout, snapshotId);
            var martsPriceYear = marts.PriceYear.StartsWith("as in", StringComparison.Ordinal) ? reference.UnitCosts[0].PriceYear : marts.PriceYear;
            baseline = DemandBaseline.Compute(db, scenario.Baseline, reference, martsPriceYear);
        }

        seconds["baseline"] = clock.Elapsed.TotalSeconds;
        clock.Restart();
        if (scenario.Horizon <= baseline.BaseYear)
        {
            throw new PipelineException($"{loaded.Path}: field 'horizon' is {scenario.Horizon}, not after the baseline year {FinancialYear.Label(baseline.BaseYear)}; give a later financial year.");
        }

        var variants = scenario.Projections.Select(v => PopulationProjection.Read(v.Name, v.Files, scenario.Areas)).ToList();
        foreach (var variant in variants)
        {
            var missing = Enumerable.Range(baseline.BaseYear, scenario.Horizon - baseline.BaseYear + 1).Where(y => !variant.Years.Contains(y)).ToList();
            if (missing.Count > 0)
            {
                throw new PipelineException(
                    $"Projection variant '{variant.Name}' has no population for {string.Join(", ", missing)}; it covers {variant.Years.FirstOrDefault()}–{variant.Years.LastOrDefault()}. Choose a horizon inside it.");
            }
        }

        var priceYear = scenario.Costs.PriceYear ?? baseline.PriceYear;
        var restate = (double)reference.Restate(baseline.PriceYear, priceYear);
        var model = new DemandModel(scenario, baseline, variants, restate);
        var runs = DemandRunner.Run(model, scenario, cancellation, progress);
        seconds["model"] = clock.Elapsed.TotalSeconds;
        clock.Restart();

        var provenance = new DemandProvenance(
            snapshotId, loaded.Path, loaded.Sha256, scenario.MonteCarlo.Seed, scenario.MonteCarlo.Runs, scenario.MonteCarlo.CountNoise,
            variants.SelectMany(v => v.FileHashes).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.First().Value),
            variants[0].AreasRead, baseline.PriceYear, priceYear, reference.UnitCostVersion, Segments.RulesVersion, baseline.PoolingRule);
        var folder = options.OutputFolder ?? Path.Combine(options.Layout.Root, "outputs", "demand", Path.GetFileNameWithoutExtension(loaded.Path));
        var files = DemandOutputs.Write(folder, scenario, baseline, runs, provenance);
        seconds["write"] = clock.Elapsed.TotalSeconds;
        return new DemandResult(scenario, baseline, runs, provenance, folder, files, seconds);
    }
}
