using System.Net;
using System.Text;
using FluentAssertions;
using Hangfire.InMemory;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkedDataset.Tests.Integration.Hosting;

[Collection(HostingCollection.Name)]
public class DashboardTests
{
    [Fact]
    public async Task Dashboard_AnswersOk_OnLoopback()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder)) with { Bind = "127.0.0.1", Port = 0 };
        await using var app = ServeHost.BuildServer(settings, new InMemoryStorage(), logging: _ => { });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var http = new HttpClient();
        var response = await http.GetAsync(address + ServeHost.DashboardPath);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("LinkedDataset jobs");
        await app.StopAsync();
    }

    [Fact]
    public async Task Dashboard_RefusesNonLoopbackRequest_WithoutAuthorisation()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder));
        await using var app = await StartOnTestServer(settings);

        var remote = await Get(app, "10.1.2.3", authorization: null);
        var loopback = await Get(app, "127.0.0.1", authorization: null);

        remote.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        loopback.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
    }

    [Fact]
    public async Task Dashboard_LetsNonLoopbackRequestIn_OnlyWithTheConfiguredCredentials()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder)) with
        {
            Bind = "0.0.0.0",
            Dashboard = new DashboardSettings(User: "manager", Password: "correct horse"),
        };
        settings.Validate();
        await using var app = await StartOnTestServer(settings);

        (await Get(app, "10.1.2.3", Basic("manager", "correct horse"))).Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        var wrong = await Get(app, "10.1.2.3", Basic("manager", "wrong"));
        wrong.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        wrong.Response.Headers.WWWAuthenticate.ToString().Should().StartWith("Basic");
    }

    [Fact]
    public void Settings_RefuseANonLoopbackBind_WithoutAuthorisation()
    {
        var settings = new ServeSettings { Bind = "0.0.0.0" };

        settings.Invoking(s => s.Validate()).Should().Throw<PipelineException>().WithMessage("*not a loopback address*Dashboard:User*");
        (settings with { Worker = true }).Invoking(s => s.Validate()).Should().NotThrow("a worker has no dashboard");
    }

    private static async Task<WebApplication> StartOnTestServer(ServeSettings settings)
    {
        var app = ServeHost.BuildServer(settings, new InMemoryStorage(), logging: _ => { }, configureWebHost: web => web.UseTestServer());
        await app.StartAsync();
        return app;
    }

    private static Task<HttpContext> Get(WebApplication app, string remoteAddress, string? authorization) =>
        app.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = ServeHost.DashboardPath;
            context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
            if (authorization is not null)
            {
                context.Request.Headers.Authorization = authorization;
            }
        });

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
