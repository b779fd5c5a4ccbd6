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

/// <summary>The standard report set on the shared end-to-end dataset: the scheduled job, <c>ldp reports</c>, <c>/reports</c>, and a real browser.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReportSetTests(EndToEndFixture run, ITestOutputHelper output)
{
    private string SnapshotId => run.Result.Snapshot.SnapshotId;

    private ServeSettings Settings => new() { Data = run.Layout.Root, KeyFile = run.KeyFile, DuckDbThreads = 1, DuckDbMemory = "1GB", Port = 0 };

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

        var message = new ReportsJob(new JobEnvironment(Settings, storage, NullLoggerFactory.Instance)).Run(CancellationToken.None);

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
    public void LdpReports_WritesTheSet_AndAnUnknownSnapshotIsOneClearLine()
    {
        var ok = LdpProcess.Run("reports", "--data", run.Layout.Root);
        ok.ExitCode.Should().Be(0, ok.ToString());
        ok.Stdout.Should().Contain("written  dq_matrix.html").And.Contain("written  linkage_report.html").And.Contain("Index: " + Path.Combine(run.Layout.Reports(SnapshotId), "index.html"));

        var bad = LdpProcess.Run("reports", "--data", run.Layout.Root, "--snapshot", "snap-nope");
        bad.ExitCode.Should().NotBe(0);
        bad.All.Should().Contain("error:").And.Contain("Snapshot 'snap-nope' is not a complete snapshot").And.NotContain("   at ");
    }

    [Fact]
    public async Task Reports_AreServedAtSlashReports_ReadOnly_UnderTheDashboardAccessRules()
    {
        ReportSetWriter.Write(new ReportSetOptions(run.Layout));
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

        using var _ = browser;
        var result = ReportSetWriter.Write(new ReportSetOptions(run.Layout));
        var pages = result.Reports.Select(r => Path.Combine(result.Folder, r.FileName)).Append(result.Index)
            .Concat(Directory.Exists(Path.Combine(run.Layout.Root, "notebooks")) ? Directory.GetFiles(Path.Combine(run.Layout.Root, "notebooks"), "*.html", SearchOption.AllDirectories) : []);
        var screenshots = Path.Combine(run.Layout.Root, "screenshots");
        Directory.CreateDirectory(screenshots);
        foreach (var page in pages)
        {
            var seen = await browser.Open(new Uri(page).AbsoluteUri);
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
