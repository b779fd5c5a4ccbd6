using System.Diagnostics;
using System.Text.RegularExpressions;
using FluentAssertions;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Tests.Support;
using Xunit.Abstractions;

namespace LinkedDataset.Tests.Integration.Reports;

/// <summary>
/// Runs every <c>notebooks/*.cs</c> the way its header says (<c>dotnet run notebooks/NAME.cs -- --data DIR</c>)
/// against the shared two-year dataset (long enough for the evaluation's windows), one after another, checks each
/// wrote its page and at least one chart under <c>DIR/notebooks/NAME/</c>, and opens the page in headless Chromium.
/// </summary>
[Collection(TwoYearCollection.Name)]
public sealed partial class NotebookRunnerTests(TwoYearFixture run, ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "notebooks"), "*.cs").Order(StringComparer.Ordinal)
            .Select(name => new object[] { Path.GetFileNameWithoutExtension(name) });

    [Fact]
    public void EveryUserHasANotebook() =>
        Notebooks().Select(n => (string)n[0]).Should().Equal("analyst", "commissioner", "data-manager", "evaluator");

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_Runs_AndWritesItsPageAndCharts_AndThePageOpensInChromium(string name)
    {
        var (exit, text) = RunNotebook(name);

        exit.Should().Be(0, text);
        var folder = Path.Combine(run.Layout.Root, "notebooks", name);
        Directory.GetFiles(folder, "*.png").Should().NotBeEmpty("a notebook draws at least one chart");
        Directory.GetFiles(folder, "*.svg").Should().NotBeEmpty();
        var page = Path.Combine(folder, name + ".html");
        File.Exists(page).Should().BeTrue("a notebook writes its HTML page");
        File.Exists(Path.Combine(folder, name + ".md")).Should().BeTrue("a notebook writes its Markdown page");

        var (browser, reason) = HeadlessChromium.Find();
        if (browser is null)
        {
            output.WriteLine("Chromium check skipped: " + reason);
            return;
        }

        using (browser)
        {
            var seen = await browser.Open(new Uri(page).AbsoluteUri);
            output.WriteLine($"{name}: {seen.Charts} charts, {seen.Tables} tables, screenshot {seen.Screenshot.Length} bytes");
            seen.Errors.Should().BeEmpty(name);
            seen.HasProvenance.Should().BeTrue(name);
            seen.Charts.Should().BeGreaterThan(0, name);
            seen.EmptyCharts.Should().Be(0, name);
            seen.EmptyTables.Should().Be(0, name);
        }
    }

    [Fact]
    public void DataManagerNotebook_GivesTheSameOutputsTwice_AndFindsTheLateRows()
    {
        var folder = Path.Combine(run.Layout.Root, "notebooks", "data-manager");
        RunNotebook("data-manager").Exit.Should().Be(0);
        var first = Outputs(folder);
        RunNotebook("data-manager").Exit.Should().Be(0);

        Outputs(folder).Should().Equal(first, "charts and pages depend only on the snapshot (the generated time aside)");
        // The page states what the library finds: rows sent in a later month's extract than they happened
        // in, a provider's first (backload) extract aside. Referrals and social care services started
        // before the month that reports them count, even with no injected faults.
        var late = LateArrivals.Find(run.Layout, run.SnapshotId);
        File.ReadAllText(Path.Combine(folder, "data-manager.md")).Should().Contain(late.Count == 0
            ? "No activity arrived late"
            : $"{late.Sum(l => l.LateRows)} activity rows arrived in a later month's extract than the month they happened in, across {late.Count} provider-extracts.");
    }

    private (int Exit, string Text) RunNotebook(string name)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { "run", Path.Combine("notebooks", name + ".cs"), "--", "--data", run.Layout.Root })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{name} did not finish within {Limit}");
        }

        output.WriteLine($"{name}: exit {process.ExitCode} in {clock.Elapsed.TotalSeconds:0.0} s (build and run)");
        return (process.ExitCode, $"{name}:\n{stdout.Result}\n{stderr.Result}");
    }

    private static List<string> Outputs(string folder) =>
        Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(Generated().Replace(File.ReadAllText(f, System.Text.Encoding.Latin1), "generated")))))
            .ToList();

    // The provenance line "generated: 2026-… UTC" is the one thing that differs between two runs.
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")]
    private static partial Regex Generated();
}
