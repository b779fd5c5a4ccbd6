using System.CommandLine;
using System.Globalization;
using LinkedDataset.Jobs.Console;
using LinkedDataset.Synthetic;
using Spectre.Console;

namespace LinkedDataset.Jobs.Commands;

/// <summary><c>ldp synth</c>: a synthetic population and its monthly extracts.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var people = new Option<int>("--people") { Description = "Number of people.", DefaultValueFactory = _ => 50_000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same parameters and seed give byte-identical output.", DefaultValueFactory = _ => 42 };
        var months = new Option<int>("--months") { Description = "Months of extracts, ending with --end-month.", DefaultValueFactory = _ => 24 };
        var endMonth = new Option<string>("--end-month") { Description = "Last month of extracts, YYYY-MM.", DefaultValueFactory = _ => "2026-03" };
        var output = new Option<string>("--out") { Description = "Folder for the extracts: <out>/<feed>/<feed>_<provider>_<YYYY-MM>.csv.", Required = true };
        var truth = new Option<string?>("--truth") { Description = "Folder for the truth files (true person per row, true effects, fault log). Default: <out>/_truth." };
        var scenario = new Option<string?>("--scenario") { Description = "YAML file of fault rates and intervention parameters (referral rate, true effects), or 'hard': heavy identity corruption for testing linkage." };

        var command = new Command("synth", "Generate a realistic synthetic Kent-like population and its monthly extracts for every feed, in the identifiable form, with a truth file beside them.")
        {
            people, seed, months, endMonth, output, truth, scenario,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = (parse.GetValue(scenario) is { } file ? SyntheticOptions.FromScenarioFile(file) : new SyntheticOptions()) with
            {
                People = parse.GetValue(people),
                Seed = parse.GetValue(seed),
                Months = parse.GetValue(months),
                EndMonth = ParseMonth(parse.GetValue(endMonth)!),
                OutputFolder = Path.GetFullPath(parse.GetValue(output)!),
                TruthFolder = parse.GetValue(truth) is { } t ? Path.GetFullPath(t) : null,
            };
            var result = SpectreRunProgress.Run(progress =>
            {
                progress.Start("Generating", options.Months);
                var r = SyntheticGenerator.Generate(options, new Progress<SyntheticProgress>(_ => progress.Advance("Generating")));
                progress.Finish("Generating");
                return r;
            });
            SyntheticReportPrinter.Print(result);
            return 0;
        }));
        return command;
    }

    private static DateOnly ParseMonth(string value) =>
        DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month
            : throw new LinkedDataset.Pipeline.Common.PipelineException($"--end-month '{value}' is not a month written YYYY-MM.");
}
