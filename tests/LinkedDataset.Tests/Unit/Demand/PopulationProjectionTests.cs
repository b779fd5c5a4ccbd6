using FluentAssertions;
using LinkedDataset.Analysis.Demand;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Demand;

public sealed class PopulationProjectionTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static string Shipped(string name) => Path.Combine(ProjectPaths.Reference, "population", name);

    [Fact]
    public void ShippedKentProjection_SumsToTheOnsKentTotals()
    {
        // snpp2022_SOURCE.md: Kent's 12 districts, persons, 1,594,467 (2022) → 1,715,129 (2032); Medway 282,643 → 295,627.
        string[] files = [Shipped("snpp2022_kent_medway_males.csv"), Shipped("snpp2022_kent_medway_females.csv")];
        var kent = PopulationProjection.Read("ons", files, ["kent"]);
        var medway = PopulationProjection.Read("ons", files, ["Medway"]);

        static double Total(PopulationProjection p, int year) =>
            DemandBaseline.AgeBands.Sum(b => p.People(year, b, "male") + p.People(year, b, "female"));
        Total(kent, 2022).Should().BeApproximately(1_594_467, 1);
        Total(kent, 2032).Should().BeApproximately(1_715_129, 1);
        Total(medway, 2022).Should().BeApproximately(282_643, 1);
        kent.Years.Should().HaveCount(26).And.StartWith(2022).And.EndWith(2047);
        kent.AreasRead.Should().HaveCount(12);
        kent.FileHashes.Should().ContainKey("snpp2022_kent_medway_males.csv");
    }

    [Fact]
    public void SmallFile_InTheSnppLayout_IsSummedIntoAgeBands()
    {
        // Area X: males aged 84 (100 → 110) and 85 (50 → 60) and "90 and over" (10 → 12): 75-84 is 100 → 110, 85+ is 60 → 72.
        var file = temp.Combine("x.csv");
        File.WriteAllText(file, """
            "AREA_CODE","AREA_NAME","COMPONENT","SEX","AGE_GROUP","2025","2026"
            X1,Area X,Population,males,84,100,110
            X1,Area X,Population,males,85,50,60
            X1,Area X,Population,males,90 and over,10,12
            X1,Area X,Population,males,All ages,160,182
            Y1,Area Y,Population,males,84,999,999
            """);
        var projection = PopulationProjection.Read("x", [file], ["Area X"]);

        projection.People(2025, "75-84", "male").Should().Be(100);
        projection.People(2026, "85+", "male").Should().Be(72);
        projection.People(2026, "85+", "female").Should().Be(0);
    }

    [Fact]
    public void BadProjectionFiles_AreRefusedNamingFileLineAndColumn()
    {
        var file = temp.Combine("bad.csv");
        File.WriteAllText(file, "AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2025\nX1,Area X,Population,males,84,lots\n");
        var bad = () => PopulationProjection.Read("x", [file], []);
        bad.Should().Throw<PipelineException>().WithMessage($"{file}: line 2, column 2025: 'lots' is not a number of people.");

        var missingArea = () => PopulationProjection.Read("x", [Shipped("snpp2022_kent_medway_males.csv")], ["Narnia"]);
        missingArea.Should().Throw<PipelineException>().WithMessage("Area(s) Narnia are in none of the projection files*");

        File.WriteAllText(file, "AREA,SEX\n");
        var layout = () => PopulationProjection.Read("x", [file], []);
        layout.Should().Throw<PipelineException>().WithMessage($"{file}: line 1: no column AREA_CODE*");
    }
}
