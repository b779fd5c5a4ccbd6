using FluentAssertions;
using LinkedDataset.Analysis.Demand;
using static LinkedDataset.Tests.Unit.Demand.DemandFixtures;

namespace LinkedDataset.Tests.Unit.Demand;

public class DemandBaselineTests
{
    [Fact]
    public void SmallCell_TakesItsRatesFromItsAgeBandAndSex_ItsShareOfPeopleStaysItsOwn()
    {
        // Pool below 100 person-years. 85+ women: fit 60 py with 6 admissions, severe 140 py with 42. The fit cell is too
        // small: its rate is the age band × sex's, (6 + 42) / 200 = 0.24; severe keeps 42 / 140 = 0.3. Shares 0.3 / 0.7.
        var spec = new BaselineSpec(1, BaselineSplit.EfiCategory, 100);
        var cells = DemandBaseline.Pool(
            [
                Cell("85+", "female", "fit", 60, ("emergency_admissions", 6, 6 * 2500)),
                Cell("85+", "female", "severe", 140, ("emergency_admissions", 42, 42 * 3000)),
            ], spec);

        var admissions = Index("emergency_admissions");
        var fit = cells.Single(c => c.Segment == "fit");
        var severe = cells.Single(c => c.Segment == "severe");
        fit.PooledTo.Should().Be("age_band_sex");
        fit.Rate[admissions].Should().BeApproximately(0.24, 1e-12);
        fit.UnitCost[admissions].Should().BeApproximately((6 * 2500 + 42 * 3000) / 48.0, 1e-9);
        fit.ShareOfAgeSex.Should().BeApproximately(0.3, 1e-12);
        severe.PooledTo.Should().Be("cell");
        severe.Rate[admissions].Should().BeApproximately(0.3, 1e-12);
        severe.ShareOfAgeSex.Should().BeApproximately(0.7, 1e-12);
    }

    [Fact]
    public void CellTooSmallEvenForItsAgeBandAndSex_TakesTheAgeBand_ThenAllAges()
    {
        // Pool below 100: 85+ men 30 py (3 admissions) + 85+ women 90 py (9) = 120 py in the band: both take 12 / 120 = 0.1.
        // 0-4 men 20 py alone in their band: all ages, (3 + 9 + 8) / 140.
        var spec = new BaselineSpec(1, BaselineSplit.None, 100);
        var cells = DemandBaseline.Pool(
            [
                Cell("85+", "male", 30, ("emergency_admissions", 3, 0)),
                Cell("85+", "female", 90, ("emergency_admissions", 9, 0)),
                Cell("0-4", "male", 20, ("emergency_admissions", 8, 0)),
            ], spec);

        var admissions = Index("emergency_admissions");
        cells.Where(c => c.AgeBand == "85+").Should().OnlyContain(c => c.PooledTo == "age_band" && Math.Abs(c.Rate[admissions] - 0.1) < 1e-12);
        cells.Single(c => c.AgeBand == "0-4").PooledTo.Should().Be("all");
        cells.Single(c => c.AgeBand == "0-4").Rate[admissions].Should().BeApproximately(20 / 140.0, 1e-12);
    }

    [Theory]
    // Exact Poisson 95% limits (Garwood): 0 events → (0, 3.689); 10 events → (4.795, 18.390), per 100 person-years here.
    [InlineData(0, 0, 0.036889)]
    [InlineData(10, 0.047954, 0.183904)]
    public void PoissonInterval_IsTheExactGarwoodInterval(double events, double low, double high)
    {
        var (l, h) = DemandBaseline.PoissonInterval(events, 100);
        l.Should().BeApproximately(low, 1e-6);
        h.Should().BeApproximately(high, 1e-6);
    }
}
