using System.CommandLine;
using System.Globalization;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp measures FILE</c>: rates and proportions over time by group, from a measure file.</summary>
public static class MeasuresCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Measure file, e.g. schemas/cohorts/emergency-admissions-month-imd.measure.yaml." };
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot id. Default: the current one. Its marts must be built (ldp marts)." };
        var data = CommonOptions.Data();
        var memory = CommonOptions.MemoryLimit();
        var command = new Command("measures", "Compute a measure file: numerator and denominator over every interval (month, quarter, financial year) in one pass, by up to two groups, with 95% intervals, optional ESP 2013 age standardisation and a practice funnel comparison. Writes <data>/measures/<name>/<snapshot>/, disclosure-controlled.")
        {
            file, snapshot, data, memory,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp measures");
            var result = AnsiConsole.Status().Start("Computing the measure…", _ => MeasureRunner.Run(new MeasureRunOptions(
                layout, parse.GetValue(file)!, parse.GetValue(snapshot), Limits: new DuckDbLimits(Math.Max(1, Environment.ProcessorCount), parse.GetValue(memory)!))));
            var intervals = result.Values.Select(v => v.Interval).Distinct().Count();
            var groups = result.Values.Select(v => (v.Group1, v.Group2)).Distinct().Count();
            AnsiConsole.MarkupLine(Markup.Escape($"Measure {result.Name} on snapshot {result.Provenance.SnapshotId}: {intervals} intervals × {groups} groups, {result.Values.Count} values ({result.Seconds:F1} s)."));
            foreach (var outlier in result.Practices.Where(p => p.Flag.Contains("99.8", StringComparison.Ordinal)))
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Practice {outlier.Practice}: ratio {outlier.Ratio:F2} ({outlier.Flag}; expected {outlier.Expected.ToString("F1", CultureInfo.InvariantCulture)})"));
            }

            if (result.Definition.PracticeComparison)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Practices compared: {result.Practices.Count}; beyond 99.8% limits: {result.Practices.Count(p => p.Flag.Contains("99.8", StringComparison.Ordinal))}; beyond 95%: {result.Practices.Count(p => p.Flag.Contains("95 %", StringComparison.Ordinal))}."));
            }

            AnsiConsole.MarkupLine(Markup.Escape($"Written to {result.Folder} ({result.Provenance.DisclosurePolicy})"));
            return 0;
        }));
        return command;
    }
}
