using System.CommandLine;
using System.Globalization;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp evaluate</c>: matched-cohort difference-in-differences and ROI of a programme (<c>--spec</c>) or of any person-level table (<c>--table</c>).</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var spec = new Option<string?>("--spec") { Description = "Evaluation spec YAML (see schemas/evaluations/social_prescribing.yaml)." };
        var table = new Option<string?>("--table") { Description = "Instead of a spec: a person-level .csv or .parquet file, one row per person." };
        var treatment = new Option<string?>("--treatment") { Description = "With --table: the 0/1 treatment column." };
        var outcome = new Option<string?>("--outcome") { Description = "With --table: the outcome column (after treatment)." };
        var pre = new Option<string?>("--pre") { Description = "With --table: the same outcome before treatment, for difference-in-differences." };
        var covariates = new Option<string[]>("--covariates") { Description = "With --table: numeric covariate columns of the propensity score.", AllowMultipleArgumentsPerToken = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot id. Default: the current one." };
        var data = CommonOptions.Data();
        var output = new Option<string?>("--out") { Description = "Output folder. Default: <data>/outputs/evaluations/<spec name or table file>." };
        var replicates = new Option<int?>("--replicates") { Description = "Bootstrap replicates (default 200, or the spec's)." };
        var ratio = new Option<int>("--ratio") { Description = "With --table: comparators per treated person.", DefaultValueFactory = _ => 1 };
        var command = new Command("evaluate", "Did a programme change use, and what did it return per £1? Matched cohorts (risk-set propensity matching), difference-in-differences with an event study, naive before/after beside it, a negative control, linkage sensitivity, savings, ROI and BCR. Writes CSV files (disclosure-controlled) and a plain-language summary.")
        {
            spec, table, treatment, outcome, pre, covariates, snapshot, data, output, replicates, ratio,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var specPath = parse.GetValue(spec);
            var tablePath = parse.GetValue(table);
            if ((specPath is null) == (tablePath is null))
            {
                throw new PipelineException("Give either --spec FILE (an evaluation of the linked data) or --table FILE --treatment COL --outcome COL (your own table), not both or neither.");
            }

            var layout = new DatasetLayout(Path.GetFullPath(parse.GetValue(data)!));
            if (tablePath is not null)
            {
                return RunTable(layout, parse.GetValue(output), tablePath, parse.GetValue(treatment), parse.GetValue(outcome), parse.GetValue(pre), parse.GetValue(covariates) ?? [], parse.GetValue(replicates) ?? 200, parse.GetValue(ratio));
            }

            var folder = parse.GetValue(output) ?? Path.Combine(layout.Root, "outputs", "evaluations", Slug(Path.GetFileNameWithoutExtension(specPath!)));
            using var writing = WriterLock.TakeIfInside(layout, folder, "ldp evaluate");
            var loaded = EvaluationSpecFile.Load(specPath!);
            if (parse.GetValue(replicates) is { } b)
            {
                loaded = loaded with { Replicates = b };
                EvaluationSpecFile.Validate(loaded);
            }

            EvaluationResult? result = null;
            AnsiConsole.Status().Start("Matching and estimating…", _ => result = SnapshotEvaluation.Run(layout, loaded, parse.GetValue(snapshot)));
            var files = EvaluationOutputs.Write(result!, folder, SdcPolicy.Default);
            var report = EvaluationReport.Write(result!, folder, SdcPolicy.Default, parse.GetValue(snapshot) ?? layout.CurrentSnapshotId ?? result!.Source);
            Print(result!, files with { Files = [.. files.Files, report] });
            return 0;
        }));
        return command;
    }

    private static int RunTable(DatasetLayout layout, string? output, string path, string? treatment, string? outcome, string? pre, string[] covariates, int replicates, int ratio)
    {
        if (treatment is null || outcome is null)
        {
            throw new PipelineException("--table needs --treatment COL and --outcome COL.");
        }

        var folder = Path.GetFullPath(output ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "-evaluation"));

        // Only a table evaluated into the dataset folder (e.g. a cohort table beside its snapshot) writes there.
        using var writing = WriterLock.TakeIfInside(layout, folder, "ldp evaluate");
        var result = TableEvaluation.Run(new TableEvaluationOptions(path, treatment, outcome, pre, covariates, new MatchingOptions(ratio), replicates));
        var files = TableEvaluation.Write(result, folder, SdcPolicy.Default);
        var e = result.Estimate;
        static string N(long n) => DisclosureControl.ProtectCount(n, SdcPolicy.Default)?.ToString(CultureInfo.InvariantCulture) ?? "fewer than 8";
        AnsiConsole.MarkupLine(Markup.Escape($"{N(result.Treated)} treated, {N(result.Comparators)} comparators in {path}; {N(result.Matching.Sets.Count)} matched (caliper dropped {N(result.Matching.DroppedByCaliper)}; counts disclosure-controlled)."));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Effect on {outcome} ({(pre is null ? "difference in means" : "difference-in-differences")}): {e.Effect.Value:F4} (95 % interval {e.Effect.Lower:F4} to {e.Effect.Upper:F4}); naive before/after: {(pre is null ? "n/a" : e.Naive.Value.ToString("F4", CultureInfo.InvariantCulture))}.")));
        foreach (var b in result.Balance)
        {
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Balance {b.Covariate}: SMD before {b.SmdBefore:F3}, after {b.SmdAfter:F3}{(b.Balanced ? "" : " (not balanced)")}.")));
        }

        AnsiConsole.MarkupLine(Markup.Escape($"Written: {string.Join(", ", files.Files.Select(Path.GetFileName))} in {files.Folder}"));
        return 0;
    }

    private static void Print(EvaluationResult r, EvaluationFiles files)
    {
        var t = new Table().AddColumns("Outcome", "Effect per person-year", "95 % interval", "Rate ratio", "Naive before/after", "Certain links only", "Weighted links");
        foreach (var o in r.Outcomes.Append(r.NegativeControl).OfType<OutcomeResult>())
        {
            var e = o.All;
            t.AddRow(Markup.Escape(o.Measure.Label + (o == r.NegativeControl ? " (negative control)" : "")), F(e.Effect.Value), $"{F(e.Effect.Lower)} to {F(e.Effect.Upper)}",
                $"{e.RateRatio.Value:F2}", F(e.Naive.Value), F(o.Certain.Effect.Value), F(o.Weighted.Effect.Value));
        }

        AnsiConsole.Write(t);
        foreach (var d in r.Diagnostics)
        {
            AnsiConsole.MarkupLine((d.Pass ? "[green]pass[/] " : "[red]FAIL[/] ") + Markup.Escape($"{d.Name}: {d.Value}"));
        }

        var m = r.Money;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Money: present value £{m.PresentValuePerParticipant.Value:F0} per participant ({m.PresentValuePerParticipant.Lower:F0} to {m.PresentValuePerParticipant.Upper:F0}); ROI {m.Roi?.Value:F2} ({m.Roi?.Lower:F2} to {m.Roi?.Upper:F2}); BCR {m.Bcr?.Value:F2} ({m.Bcr?.Lower:F2} to {m.Bcr?.Upper:F2}).")));
        AnsiConsole.MarkupLine("[grey]" + Markup.Escape($"{r.Source}; {r.Elapsed.TotalSeconds:F1} s. Written: {string.Join(", ", files.Files.Select(Path.GetFileName))} in {files.Folder}") + "[/]");
    }

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F3", CultureInfo.InvariantCulture) : "-";

    private static string Slug(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
