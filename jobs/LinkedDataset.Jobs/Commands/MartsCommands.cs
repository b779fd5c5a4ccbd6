using System.CommandLine;
using System.Globalization;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Analysis.Risk;
using LinkedDataset.Pipeline.Disclosure;
using LinkedDataset.Pipeline.Marts;
using LinkedDataset.Pipeline.Storage;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp marts</c>, <c>ldp risk-report</c> and <c>ldp cost-share</c>: build the marts of a snapshot and ask two questions of them.</summary>
public static class MartsCommands
{
    public static IEnumerable<Command> Create() => [Marts(), RiskReportCommand(), CostShare()];

    private static Option<string?> Snapshot() => new("--snapshot") { Description = "Snapshot id. Default: the current one." };

    private static Command Marts()
    {
        var snapshot = Snapshot();
        var data = CommonOptions.Data();
        var memory = CommonOptions.MemoryLimit();
        var priceYear = new Option<string?>("--price-year") { Description = "Restate unit costs in this price year (e.g. 2025/26) with schemas/reference/unit-costs/inflation_index.csv. Default: as published (2023/24)." };
        var sample = new Option<int>("--risk-sample") { Description = "Rows sampled to fit the risk model.", DefaultValueFactory = _ => 200_000 };
        var threads = new Option<int>("--threads") { Description = "DuckDB threads.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var command = new Command("marts", "Build the marts of a snapshot under lake/marts/<snapshot id>/: costed activity, person_month and person_year with segments and the emergency admission risk score.")
        {
            snapshot, data, memory, priceYear, sample, threads,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Write, layout =>
        {
            using var writing = WriterLock.Take(layout, "ldp marts");
            var result = MartsBuilder.Build(new MartsOptions(
                layout, parse.GetValue(snapshot), parse.GetValue(priceYear), new DuckDbLimits(parse.GetValue(threads), parse.GetValue(memory)!),
                new RiskModel(new RiskModelOptions(SampleSize: parse.GetValue(sample)))));
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Marts of snapshot {result.SnapshotId} ({result.Window.Start:yyyy-MM} to {result.Window.End:yyyy-MM}) in {result.Folder}: " +
                string.Join(", ", result.Rows.Select(r => $"{r.Key} {r.Value:N0} rows")) + "."));
            if (result.Score is { } score)
            {
                AnsiConsole.MarkupLine(Markup.Escape(
                    score.Details.TryGetValue("auc", out var auc)
                        ? $"Risk model: {score.Model}, fitted on {score.Details["train_year"]} → next year ({score.Details["sample_rows"]} rows), held-out {score.Details["holdout"]} {score.Details["test_year"]}: AUC {auc}."
                        : $"Risk model not fitted: {score.Details.GetValueOrDefault("reason")}."));
            }

            foreach (var note in result.Notes)
            {
                AnsiConsole.MarkupLine("[grey]" + Markup.Escape("Note: " + note) + "[/]");
            }

            AnsiConsole.MarkupLine("[grey]" + Markup.Escape("Time: " + string.Join(", ", result.Seconds.Select(s => $"{s.Key} {s.Value:F1} s"))) + "[/]");
            return 0;
        }));
        return command;
    }

    private static Command RiskReportCommand()
    {
        var snapshot = Snapshot();
        var data = CommonOptions.Data();
        var command = new Command("risk-report", "Print the emergency admission risk model's AUC and calibration by decile on the held-out year (disclosure-controlled).")
        {
            snapshot, data,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Read, layout =>
        {
            var answer = RiskReport.Compute(layout, SdcPolicy.Default, parse.GetValue(snapshot));
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Risk of an emergency admission next year: {answer.Model}, fitted on {answer.TrainYear}; held-out {answer.Holdout} {answer.TestYear}: AUC {answer.Auc:F3}."));
            var table = new Table().AddColumns("Decile", "Mean predicted %", "People", "With admission", "Observed %");
            foreach (var row in answer.Calibration)
            {
                table.AddRow(row.Decile.ToString(CultureInfo.InvariantCulture), (row.MeanPredicted * 100).ToString("F1", CultureInfo.InvariantCulture),
                    Show(row.Observed.Denominator), Show(row.Observed.Numerator), row.Observed.Rate is { } r ? r.ToString("F1", CultureInfo.InvariantCulture) : "*");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape($"Disclosure control: {answer.Policy}. Snapshot {answer.SnapshotId}.") + "[/]");
            return 0;
        }));
        return command;
    }

    private static Command CostShare()
    {
        var snapshot = Snapshot();
        var data = CommonOptions.Data();
        var top = new Option<double>("--top") { Description = "Top share of people by total cost, in percent.", DefaultValueFactory = _ => 5 };
        var command = new Command("cost-share", "Print the share of total health and care cost used by the costliest 5% (--top) of people, per financial year (disclosure-controlled counts).")
        {
            snapshot, data, top,
        };
        command.SetAction(parse => CommandRunner.RunOn(parse, data, DatasetAccess.Read, layout =>
        {
            var answer = CostConcentration.Compute(layout, SdcPolicy.Default, parse.GetValue(top) / 100, parse.GetValue(snapshot));
            var table = new Table().AddColumns("Financial year", "People", $"Top {answer.TopFraction * 100:0.#}% people", "Total cost £k", $"Share used by top {answer.TopFraction * 100:0.#}%");
            foreach (var y in answer.Years)
            {
                table.AddRow(y.FinancialYear + (y.Complete ? "" : " (part)"), Show(y.People), Show(y.TopPeople),
                    y.TotalCostThousands.ToString("N0", CultureInfo.InvariantCulture), y.TopShare is { } share ? (share * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : "*");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape($"Disclosure control: {answer.Policy}. Snapshot {answer.SnapshotId}.") + "[/]");
            return 0;
        }));
        return command;
    }

    private static string Show(long? count) => count is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) : "*";
}
