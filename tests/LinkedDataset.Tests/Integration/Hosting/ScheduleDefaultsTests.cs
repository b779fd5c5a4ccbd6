using FluentAssertions;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using LinkedDataset.Jobs.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkedDataset.Tests.Integration.Hosting;

[Collection(HostingCollection.Name)]
public class ScheduleDefaultsTests
{
    [Fact]
    public async Task DefaultSchedules_RegisterScanPublishDataQualityAndReports()
    {
        // Registered on a real (in-memory) Hangfire storage with the settings a user gets by default.
        var storage = new InMemoryStorage();
        var registration = new RecurringJobRegistration(new RecurringJobManager(storage), new ServeSettings(), NullLoggerFactory.Instance);

        await registration.StartAsync(CancellationToken.None);

        using var connection = storage.GetConnection();
        connection.GetRecurringJobs().Select(j => j.Id).Should().BeEquivalentTo(
            RecurringJobRegistration.ScanLanding, RecurringJobRegistration.Publish, RecurringJobRegistration.DataQuality, RecurringJobRegistration.Reports);
    }

    [Fact]
    public async Task ReportsJob_RunsWhenItsScheduleIsSet()
    {
        var storage = new InMemoryStorage();
        var settings = new ServeSettings { Schedules = new Schedules(Reports: "0 7 1 * *") };

        await new RecurringJobRegistration(new RecurringJobManager(storage), settings, NullLoggerFactory.Instance).StartAsync(CancellationToken.None);

        using var connection = storage.GetConnection();
        connection.GetRecurringJobs().Should().Contain(j => j.Id == RecurringJobRegistration.Reports && j.Cron == "0 7 1 * *");
    }
}
