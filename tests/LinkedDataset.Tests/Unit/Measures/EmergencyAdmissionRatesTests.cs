using FluentAssertions;
using LinkedDataset.Analysis.Measures;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Unit.Measures;

public class EmergencyAdmissionRatesTests
{
    [Fact]
    public void Window_IsTheTwelveMonthsEndingWithTheLatestAdmissionMonth()
    {
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, "CREATE TABLE apc AS SELECT * FROM (VALUES (DATE '2025-01-15'), (DATE '2026-03-02')) t(admission_date)");

        EmergencyAdmissionRates.Window(db).Should().Be((new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 31)));
    }

    [Fact]
    public void Window_GivesAClearError_WhenTheSnapshotHasNoAdmittedCare()
    {
        using var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, "CREATE TABLE apc (admission_date DATE)");

        FluentActions.Invoking(() => EmergencyAdmissionRates.Window(db))
            .Should().Throw<PipelineException>().WithMessage("*no admitted care*");
    }
}
