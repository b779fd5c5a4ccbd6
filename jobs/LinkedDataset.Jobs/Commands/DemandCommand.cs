using System.CommandLine;
using System.Globalization;
using LinkedDataset.Analysis.Demand;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp demand --scenario FILE</c>: demand and cost projections for commissioners.</summary>
public static class DemandCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "Scenario file (YAML): horizon, areas, projection variants and levers. Examples in schemas/scenarios/.", Required = true,
        };
        var data = CommonOptions.Data();
        var snapshot = new Option<string?>("--snapshot") { Description = "Snapshot whose person_year gives the baseline rates. Default: the current one (its marts must be built: 'ldp marts')." };
        var output = new Option<string?>("--out") { Description = "Folder for the CSVs and report.html. Default: <data>/outputs/demand/<scenario file name>/." };
        var runs = new Option<int?>("--runs") { Description = "Monte Carlo runs besides the principal run. Default: the scenario's (500 when it gives none)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the Monte Carlo runs. Default: the scenario's (1 when it gives none)." };
        var memory = CommonOptions.MemoryLimit();
        var command = new Command("demand", "Project activity, cost and capacity by setting to a horizon year: baseline rates per person-year from person_year × ONS population projections, with the scenario's levers, a principal run and seeded Monte Carlo intervals. Writes CSVs and an HTML report.")
        {
            scenario, data, snapshot, output, runs, seed, memory,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            if (parse.GetValue(runs) is < 0)
            {
                throw new LinkedDataset.Pipeline.Common.PipelineException("--runs must be 0 or more.");
            }

            var options = new DemandOptions(
                new DatasetLayout(Path.GetFullPath(parse.GetValue(data)!)), parse.GetValue(scenario)!, parse.GetValue(snapshot),
                parse.GetValue(output) is { } o ? Path.GetFullPath(o) : null, parse.GetValue(runs), parse.GetValue(seed), new DuckDbLimits(Math.Max(1, Environment.ProcessorCount), parse.GetValue(memory)!));
            // The default output folder is <data>/outputs/demand/…: inside the dataset.
            using var writing = WriterLock.TakeIfInside(options.Layout, options.OutputFolder ?? options.Layout.Root, "ldp demand");
            var result = AnsiConsole.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("Monte Carlo runs", maxValue: Math.Max(1, options.Runs ?? 500));
                    return DemandProjection.Run(options, new Progress<int>(n => task.Value = n));
                });
            Print(result);
            return 0;
        }));
        return command;
    }

    private static void Print(DemandResult r)
    {
        var years = r.Runs.Years;
        var (first, last) = (FinancialYear.Label(years[0]), FinancialYear.Label(years[^1]));
        var p = r.Provenance;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Scenario '{r.Scenario.Name}': {first} (baseline from {string.Join(", ", r.Baseline.Years.Select(FinancialYear.Label))} of snapshot {p.SnapshotId}) to {last}; " +
            $"{p.Areas.Count} area(s); principal run + {p.Runs} Monte Carlo runs, seed {p.Seed}; costs at {p.PriceYear} prices."));
        var table = new Table().AddColumns("Setting", "Unit", first, $"{last} baseline", $"{last} scenario", "80% interval", "Cost " + first + " £m", $"Cost {last} £m", "80% interval £m");
        foreach (var c in r.Runs.Comparison)
        {
            var row = r.Runs.Projections.Single(x => x.Year == years[^1] && x.Setting == c.Setting);
            var isTotal = c.Setting == "total";
            table.AddRow(
                isTotal ? "Total" : DemandSetting.Find(c.Setting)!.Label, isTotal ? "" : c.Unit,
                Whole(c.BaseActivity), Whole(c.BaselineActivity), Whole(c.ScenarioActivity),
                isTotal ? "" : $"{Whole(row.Activity.P10)} – {Whole(row.Activity.P90)}",
                Millions(c.BaseCost), Millions(c.ScenarioCost), $"{Millions(row.Cost.P10)} – {Millions(row.Cost.P90)}");
        }

        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }

        AnsiConsole.Write(table);
        var capacity = new Table().AddColumns("Capacity", "Unit", first, last, "80% interval");
        foreach (var measure in r.Runs.Capacity.Select(c => c.Measure).Distinct())
        {
            var a = r.Runs.Capacity.Single(c => c.Year == years[0] && c.Measure == measure);
            var b = r.Runs.Capacity.Single(c => c.Year == years[^1] && c.Measure == measure);
            capacity.AddRow(measure, a.Unit, Whole(a.Value.Principal), Whole(b.Value.Principal), $"{Whole(b.Value.P10)} – {Whole(b.Value.P90)}");
        }

        AnsiConsole.Write(capacity);
        AnsiConsole.MarkupLine(Markup.Escape($"Waterfall {first} → {last}, total cost £m: " +
            string.Join(", ", r.Runs.Waterfall.Select(w => $"{w.Factor} {(w.TotalCostChange >= 0 ? "+" : "")}{Millions(w.TotalCostChange)}"))));
        AnsiConsole.MarkupLine(Markup.Escape($"Written to {r.OutputFolder}: {string.Join(", ", r.Files.Select(Path.GetFileName))}"));
        AnsiConsole.MarkupLine("[grey]" + Markup.Escape("Figures are modelled for the projected population, not counts of people in the data; baseline.csv is disclosure-controlled. Time: " +
            string.Join(", ", r.Seconds.Select(s => $"{s.Key} {s.Value:F1} s"))) + "[/]");
    }

    private static string Whole(double v) => double.IsFinite(v) ? v.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string Millions(double v) => double.IsFinite(v) ? (v / 1e6).ToString("N1", CultureInfo.InvariantCulture) : "";
}
