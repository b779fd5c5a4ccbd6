using System.Globalization;
using System.Text;
using FluentAssertions;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Evaluation;

/// <summary><c>ldp evaluate</c> as a user types it.</summary>
public class EvaluateCommandTests
{
    [Fact]
    public void Table_MatchesOnTheCovariate_AndGivesTheHandWorkedDid()
    {
        // 40 people: age 40-59 (treated when age >= 50, so age confounds), pre-period outcome = age / 10,
        // post = pre + 1 for everyone, minus 2 for the treated. Untreated of the same age share the trend, so the
        // difference-in-differences is exactly -2 whoever is matched; the naive before/after of the treated is -1.
        // Treated rows: ages 50-59 (every second person is untreated at those ages, to give matches).
        using var folder = new TempFolder();
        var csv = new StringBuilder("person,sp,ae_after,ae_before,age\n");
        var id = 0;
        for (var age = 40; age < 60; age++)
        {
            foreach (var treated in new[] { 0, age >= 50 ? 1 : 0 })
            {
                var pre = age / 10.0;
                csv.Append(CultureInfo.InvariantCulture, $"{++id},{treated},{pre + 1 - 2 * treated},{pre},{age}\n");
            }
        }

        File.WriteAllText(folder.Combine("people.csv"), csv.ToString());
        var run = LdpProcess.Run("evaluate", "--table", folder.Combine("people.csv"), "--treatment", "sp", "--outcome", "ae_after", "--pre", "ae_before",
            "--covariates", "age", "--replicates", "50", "--out", folder.Combine("out"));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("10 treated, 30 comparators");
        run.Stdout.Should().Contain("difference-in-differences): -2.0000 (95 % interval -2.0000 to -2.0000); naive before/after: -1.0000");
        var estimate = File.ReadAllLines(folder.Combine("out", "estimate.csv"));
        estimate[1].Should().StartWith("difference-in-differences,10,30,10,0,-2.0000,-2.0000,-2.0000,-1.0000");
        File.ReadAllText(folder.Combine("out", "balance.csv")).Should().Contain("age,");
    }

    [Fact]
    public void Table_WithAMissingColumn_SaysWhichColumnAndExitsNonZero()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("t.csv"), "sp,y\n1,2\n0,3\n");
        var run = LdpProcess.Run("evaluate", "--table", folder.Combine("t.csv"), "--treatment", "sp", "--outcome", "y", "--covariates", "age");
        run.ExitCode.Should().Be(1);
        run.All.Should().Contain("no column 'age'").And.NotContain("   at ");
    }

    [Fact]
    public void Spec_WithAnUnknownOutcome_NamesTheFileAndTheField()
    {
        using var folder = new TempFolder();
        var spec = folder.Combine("bad.yaml");
        File.WriteAllText(spec, "name: x\noutcomes: [ae_attendances, bed_nights]\n");
        var run = LdpProcess.Run("evaluate", "--spec", spec, "--data", folder.Combine("data"));
        run.ExitCode.Should().Be(1);
        run.All.Should().Contain("bad.yaml: outcomes: unknown outcome 'bed_nights'").And.NotContain("   at ");

        File.WriteAllText(spec, "name: x\nmatching:\n  ratio: two\n");
        var typo = LdpProcess.Run("evaluate", "--spec", spec, "--data", folder.Combine("data"));
        typo.ExitCode.Should().Be(1);
        typo.All.Should().Contain("bad.yaml: line 3").And.NotContain("   at ");
    }
}
