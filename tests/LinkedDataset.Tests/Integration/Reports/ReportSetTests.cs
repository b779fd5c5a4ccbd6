using System.Net;
using FluentAssertions;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Jobs.Hosting.Jobs;
using LinkedDataset.Tests.Integration.Hosting;
using LinkedDataset.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LinkedDataset.Tests.Integration.Reports;

/// <summary>
/// The standard report set (every capability's report) on the shared two-year dataset: the scheduled job, <c>ldp reports</c>,
/// <c>/reports</c>, and a real browser. The job renders the set once (the fixture keeps its message); the other tests read what it wrote.
/// </summary>
[Collection(TwoYearCollection.Name)]
public sealed class ReportSetTests(TwoYearFixture run, ITestOutputHelper output)
{
    private string SnapshotId => run.SnapshotId;

    private ServeSettings Settings => run.Settings;

    [Fact]
    public async Task ReportsJob_IsOnByDefault_AndWritesTheStandardSetWithAnIndex()
    {
        // The default schedules register the Reports job with real Hangfire storage.
        var storage = new InMemoryStorage();
        await new RecurringJobRegistration(new RecurringJobManager(storage), Settings, NullLoggerFactory.Instance).StartAsync(CancellationToken.None);
        using (var connection = storage.GetConnection())
        {
            connection.GetRecurringJobs().Select(j => j.Id).Should().Contain(RecurringJobRegistration.Reports);
        }

        var message = run.ReportsJobMessage;

        var folder = run.Layout.Reports(SnapshotId);
        message.Should().Be($"Reports of {SnapshotId}: {StandardReports.All.Count} of {StandardReports.All.Count} written to {folder}.");
        foreach (var report in StandardReports.All)
        {
            File.ReadAllText(Path.Combine(folder, report.FileName)).Should().Contain("<footer class=\"provenance\">").And.Contain($"<dd>{SnapshotId}</dd>");
        }

        var index = File.ReadAllText(Path.Combine(folder, ReportSetWriter.IndexFile));
        index.Should().Contain("<a href=\"dq_matrix.html\">Data-quality matrix (data manager)</a>").And.Contain("<a href=\"linkage_report.html\">");
    }

    [Fact]
    public void StandardSet_IsEveryCapability_WithItsSupportingCsvs()
    {
        _ = run.ReportsJobMessage;
        var folder = run.Layout.Reports(SnapshotId);

        // Every command's example, on the current snapshot: 2 data-manager reports, 4 cohorts, 1 measure, 2 scenarios, 1 evaluation.
        StandardReports.All.Select(r => r.FileName).Should().Equal(
            "dq_matrix.html", "linkage_report.html",
            "cohort_frail-75-plus-emergency.html", "cohort_ltc2-top5-cost.html", "cohort_social-prescribing.html", "cohort_telecare-fall.html",
            "measure_emergency-admissions-month-imd.html", "demand_demographic_only.html", "demand_frailty_home_first.html",
            "evaluation_social_prescribing.html");
        File.ReadAllText(Path.Combine(folder, "measure_emergency-admissions-month-imd.html")).Should().Contain("Funnel plot");
        File.ReadAllText(Path.Combine(folder, "evaluation_social_prescribing.html")).Should().Contain("event study").And.Contain("Love plot");
        foreach (var (report, csv) in new[]
                 {
                     ("cohort_frail-75-plus-emergency", "attrition.csv"), ("measure_emergency-admissions-month-imd", "practices.csv"),
                     ("demand_frailty_home_first", "projection.csv"), ("evaluation_social_prescribing", "estimates.csv"),
                 })
        {
            File.Exists(Path.Combine(folder, ReportSetWriter.FilesFolder, report, csv)).Should().BeTrue($"{report} publishes {csv}");
        }
    }

    [Fact]
    public void NoPersonLevelTable_IsEverPublishedWithTheReports()
    {
        _ = run.ReportsJobMessage;
        var folder = run.Layout.Reports(SnapshotId);

        // The cohort commands wrote their person-level tables (inside the dataset, where `ldp extract --cohort` releases from them) ...
        Directory.GetFiles(run.Layout.Root, "cohort.parquet", SearchOption.AllDirectories).Should().NotBeEmpty();
        // ... and none of it reaches the reports: no table files, and no published CSV has a person-level column.
        var published = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        published.Should().NotContain(f => new[] { ".parquet", ".duckdb", ".arrow", ".db" }.Contains(Path.GetExtension(f)));
        foreach (var csv in published.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)))
        {
            var header = File.ReadLines(csv).First().Split(',');
            header.Should().NotContain(c => c.Contains("person_id") || c.Contains("token") || c.Contains("nhs"), csv);
        }
    }

    [Fact]
    public void LdpReports_WritesTheSet_AndAnUnknownSnapshotIsOneClearLine()
    {
        var ok = LdpProcess.Run("reports", "--data", run.Layout.Root);
        ok.ExitCode.Should().Be(0, ok.ToString());
        ok.Stdout.Should().Contain("written  dq_matrix.html").And.Contain("written  linkage_report.html").And.Contain("written  evaluation_social_prescribing.html").And.Contain("Index: " + Path.Combine(run.Layout.Reports(SnapshotId), "index.html"));

        var bad = LdpProcess.Run("reports", "--data", run.Layout.Root, "--snapshot", "snap-nope");
        bad.ExitCode.Should().NotBe(0);
        bad.All.Should().Contain("error:").And.Contain("Snapshot 'snap-nope' is not a complete snapshot").And.NotContain("   at ");
    }

    [Fact]
    public async Task Reports_AreServedAtSlashReports_ReadOnly_UnderTheDashboardAccessRules()
    {
        _ = run.ReportsJobMessage;
        await using var app = ServeHost.BuildServer(Settings with { Schedules = HostingSupport.NoSchedules }, new InMemoryStorage(), logging: _ => { }, configureWebHost: web => web.UseTestServer());
        await app.StartAsync();

        var root = await Get(app, "/reports", "127.0.0.1");
        root.Response.StatusCode.Should().Be(StatusCodes.Status302Found);
        root.Response.Headers.Location.ToString().Should().Be($"/reports/{SnapshotId}/index.html");

        var index = await Get(app, $"/reports/{SnapshotId}/index.html", "127.0.0.1");
        index.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        index.Response.ContentType.Should().StartWith("text/html");
        (await new StreamReader(index.Response.Body).ReadToEndAsync()).Should().Contain("linkage_report.html");

        (await Get(app, $"/reports/{SnapshotId}/index.html", "10.1.2.3")).Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized, "the dashboard's rules apply");
        (await Get(app, $"/reports/{SnapshotId}/..%2F..%2Fmanifest.json", "127.0.0.1")).Response.StatusCode.Should().Be(StatusCodes.Status404NotFound);
        (await Get(app, $"/reports/{SnapshotId}/index.html", "127.0.0.1", HttpMethods.Post)).Response.StatusCode.Should().Be(StatusCodes.Status405MethodNotAllowed);
        await app.StopAsync();
    }

    [Fact]
    public async Task EveryReport_OpensInChromium_WithChartsTablesAndProvenance_AndNoConsoleErrors()
    {
        var (browser, reason) = HeadlessChromium.Find();
        if (browser is null)
        {
            output.WriteLine("Skipped: " + reason);
            return;
        }

        using var chromium = browser;
        _ = run.ReportsJobMessage;
        var folder = run.Layout.Reports(SnapshotId);
        var pages = StandardReports.All.Select(r => Path.Combine(folder, r.FileName)).Append(Path.Combine(folder, ReportSetWriter.IndexFile)).ToList();
        var screenshots = Path.Combine(run.Layout.Root, "screenshots");
        Directory.CreateDirectory(screenshots);
        foreach (var page in pages)
        {
            var seen = await chromium.Open(new Uri(page).AbsoluteUri);
            var name = Path.GetFileNameWithoutExtension(page);
            File.WriteAllBytes(Path.Combine(screenshots, name + ".png"), seen.Screenshot);
            output.WriteLine($"{name}: {seen.Charts} charts, {seen.Tables} tables, screenshot {seen.Screenshot.Length} bytes");

            seen.Errors.Should().BeEmpty(name);
            seen.HasProvenance.Should().BeTrue(name);
            seen.EmptyCharts.Should().Be(0, name);
            seen.EmptyTables.Should().Be(0, name);
            if (name != "index")
            {
                seen.Charts.Should().BeGreaterThan(0, $"{name} draws its figures");
            }

            seen.Screenshot.Length.Should().BeGreaterThan(10_000, $"{name} is not a blank page");
        }
    }

    private static Task<HttpContext> Get(WebApplication app, string path, string remoteAddress, string method = "GET") =>
        app.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = path;
            context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
        });
}
