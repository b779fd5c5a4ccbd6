using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>What <c>ldp cohort run</c> is asked to do.</summary>
/// <param name="Layout">The dataset folder.</param>
/// <param name="DefinitionPath">The cohort definition file.</param>
/// <param name="SnapshotId">Snapshot to build on; default the current one (its marts must be built).</param>
/// <param name="Policy">Disclosure control for the report; default the strict policy.</param>
/// <param name="Limits">DuckDB limits.</param>
public sealed record CohortRunOptions(DatasetLayout Layout, string DefinitionPath, string? SnapshotId = null, SdcPolicy? Policy = null, DuckDbLimits? Limits = null);

/// <summary>What was recorded with every output: the inputs that make the result reproducible.</summary>
/// <param name="SnapshotId">Snapshot built on.</param>
/// <param name="CodeVersion">Pipeline code version.</param>
/// <param name="DefinitionFile">The definition file's name.</param>
/// <param name="DefinitionSha256">SHA-256 of the definition file.</param>
/// <param name="Codelists">Codelist name → version.</param>
/// <param name="References">Mart reference versions (segments, unit costs, codelists they used).</param>
/// <param name="DataStart">First day of the snapshot's data.</param>
/// <param name="DataEnd">Last day of the snapshot's data.</param>
/// <param name="DisclosurePolicy">The policy applied to every aggregate.</param>
/// <param name="GeneratedUtc">When.</param>
public sealed record AnalysisProvenance(
    string SnapshotId, string CodeVersion, string DefinitionFile, string DefinitionSha256, IReadOnlyDictionary<string, string> Codelists,
    IReadOnlyDictionary<string, string> References, string DataStart, string DataEnd, string DisclosurePolicy, DateTimeOffset GeneratedUtc);

/// <summary>A built cohort: where its files are, the released aggregates and how long it took.</summary>
public sealed record CohortRunResult(
    string Name, string Folder, string PersonTable, string ReportFolder, CohortAggregates Aggregates, AnalysisProvenance Provenance, double Seconds);

/// <summary>
/// <c>ldp cohort run</c>: builds a cohort on a snapshot in a sandboxed DuckDB and writes
/// <c>cohorts/&lt;name&gt;/&lt;snapshot&gt;/cohort.parquet</c> (person-level, stays in the dataset; <c>ldp extract --cohort</c>
/// releases from it) and <c>report/</c> (attrition, Table 1, costs by setting, provenance) after disclosure control.
/// </summary>
public static class CohortRunner
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Runs the stage.</summary>
    public static CohortRunResult Run(CohortRunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var definition = CohortParser.Load(options.DefinitionPath);
        var policy = options.Policy ?? SdcPolicy.Default;
        using var snapshot = AnalysisSnapshot.Open(options.Layout, options.SnapshotId, options.Limits, id => options.Layout.Cohort(definition.Name, id));
        var folder = options.Layout.Cohort(definition.Name, snapshot.SnapshotId);
        var build = CohortBuilder.Build(snapshot.Connection, definition, snapshot.Data);
        var personTable = Path.Combine(folder, "cohort.parquet");
        DuckDb.Execute(snapshot.Connection, $"COPY ch_cohort TO {Sql.Path(personTable)} (FORMAT parquet, COMPRESSION zstd)");
        var aggregates = CohortReport.Compute(snapshot.Connection, definition, build, policy);
        var provenance = snapshot.Provenance(options.Layout, definition.SourcePath, definition.FileHash,
            definition.Codelists.ToDictionary(c => c.Name, c => c.Version), policy);
        var reportFolder = Path.Combine(folder, "report");
        WriteReport(reportFolder, definition, aggregates, provenance);
        return new CohortRunResult(definition.Name, folder, personTable, reportFolder, aggregates, provenance, clock.Elapsed.TotalSeconds);
    }

    private static void WriteReport(string folder, CohortDefinition definition, CohortAggregates a, AnalysisProvenance provenance)
    {
        Directory.CreateDirectory(folder);
        string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "[REDACTED]";
        string D(double? v) => v?.ToString("0.0", CultureInfo.InvariantCulture) ?? "[REDACTED]";
        ReportFiles.WriteCsv(Path.Combine(folder, "attrition.csv"),
            ["step", "rule", "kind", "people", "people_excluded", "events", "events_excluded", "people_passing_rule_alone"],
            a.Attrition.Select(r => new[] { r.Step.ToString(CultureInfo.InvariantCulture), r.Rule, r.Kind, N(r.People), N(r.PeopleExcluded), N(r.Events), N(r.EventsExcluded), N(r.PeoplePassingAlone) }));
        ReportFiles.WriteCsv(Path.Combine(folder, "table1.csv"), ["characteristic", "level", "people", "percent"],
            a.Table1.Select(r => new[] { r.Characteristic, r.Level, N(r.People), D(r.Percent) }));
        ReportFiles.WriteCsv(Path.Combine(folder, "costs_by_setting.csv"), ["setting", "people", "events", "cost_gbp_thousands", "cost_per_person_gbp"],
            a.Costs.Select(r => new[] { r.Setting, N(r.People), N(r.Events), N(r.CostThousands), r.CostPerPerson?.ToString("0", CultureInfo.InvariantCulture) ?? "[REDACTED]" }));
        File.WriteAllText(Path.Combine(folder, "provenance.json"), JsonSerializer.Serialize(provenance, Json));
        CohortHtml.Build(definition, a, provenance).Save(Path.Combine(folder, "report.html"));
    }
}
