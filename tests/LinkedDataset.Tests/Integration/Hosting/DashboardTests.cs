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
        var (app, address) = await StartOnLoopback(folder);
        await using var running = app;

        using var http = new HttpClient();
        var response = await http.GetAsync(address + ServeHost.DashboardPath);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("LinkedDataset jobs");
        await app.StopAsync();
    }

    [Fact]
    public async Task Health_AnswersOk_OnceTheServerIsUp()
    {
        using var folder = new TempFolder();
        var (app, address) = await StartOnLoopback(folder);
        await using var running = app;

        using var http = new HttpClient();
        var response = await http.GetAsync(address + "/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("ok");
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

    private static readonly string Token = new('k', DashboardSettings.MinimumTokenLength);

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9;proto=https")]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    public async Task Dashboard_RefusesALoopbackRequestCarryingProxyHeaders_FromAnUnknownProxy(string header, string value)
    {
        // A reverse proxy on this host (TLS in front) makes every request arrive from 127.0.0.1; with no
        // KnownProxies the proxy headers cannot be believed, so the request is not local, whatever they say.
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder));
        settings.DashboardAllowsLoopbackWithoutAuth.Should().BeTrue("the embedded default lets plain local requests in");
        await using var app = await StartOnTestServer(settings);

        (await Get(app, "127.0.0.1", authorization: null, (header, value))).Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        (await Get(app, "127.0.0.1", authorization: null)).Response.StatusCode.Should().Be(StatusCodes.Status200OK);
    }

    [Fact]
    public async Task Dashboard_BehindAKnownProxy_JudgesTheForwardedAddress()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder)) with
        {
            Dashboard = new DashboardSettings(Token: Token, AllowLoopbackWithoutAuth: true, KnownProxies: ["127.0.0.1"]),
        };
        settings.Validate();
        await using var app = await StartOnTestServer(settings);

        var remoteThroughProxy = await Get(app, "127.0.0.1", authorization: null, ("X-Forwarded-For", "203.0.113.9"));
        var localThroughProxy = await Get(app, "127.0.0.1", authorization: null, ("Forwarded", "for=127.0.0.1"));
        var remoteWithToken = await Get(app, "127.0.0.1", "Bearer " + Token, ("X-Forwarded-For", "203.0.113.9"));
        var spoofedByAStranger = await Get(app, "10.1.2.3", authorization: null, ("X-Forwarded-For", "127.0.0.1"));

        remoteThroughProxy.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        localThroughProxy.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        remoteWithToken.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        spoofedByAStranger.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized, "only a known proxy's headers are believed");
    }

    [Fact]
    public async Task Dashboard_RequiresCredentialsForEveryRequest_WhenLoopbackWithoutAuthIsOff()
    {
        using var folder = new TempFolder();
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder)) with
        {
            Dashboard = new DashboardSettings(Token: Token, AllowLoopbackWithoutAuth: false),
        };
        settings.Validate();
        await using var app = await StartOnTestServer(settings);

        (await Get(app, "127.0.0.1", authorization: null)).Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        (await Get(app, "127.0.0.1", "Bearer " + Token[..^1] + "x")).Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        (await Get(app, "127.0.0.1", "Bearer " + Token)).Response.StatusCode.Should().Be(StatusCodes.Status200OK);
    }

    [Fact]
    public void Settings_LoopbackWithoutAuth_IsOnOnlyForTheEmbeddedDefault_AndCredentialsAreThenRequired()
    {
        new ServeSettings().DashboardAllowsLoopbackWithoutAuth.Should().BeTrue();
        new ServeSettings { Storage = StorageKind.Postgres, Connection = "Host=db" }.DashboardAllowsLoopbackWithoutAuth.Should().BeFalse();
        new ServeSettings { Dashboard = new DashboardSettings(KnownProxies: ["127.0.0.1"]) }.DashboardAllowsLoopbackWithoutAuth.Should().BeFalse();

        var postgres = new ServeSettings { Storage = StorageKind.Postgres, Connection = "Host=db" };
        postgres.Invoking(s => s.Validate()).Should().Throw<PipelineException>().WithMessage("The dashboard needs credentials for every request here*");
        (postgres with { Worker = true }).Invoking(s => s.Validate()).Should().NotThrow("a worker has no dashboard");
        (postgres with { Dashboard = new DashboardSettings(Token: Token) }).Invoking(s => s.Validate()).Should().NotThrow();
    }

    [Fact]
    public void Settings_RefuseATokenShorterThan32Characters_WithoutPrintingIt()
    {
        var settings = new ServeSettings { Dashboard = new DashboardSettings(Token: "s3cret-but-short") };

        settings.Invoking(s => s.Validate()).Should().Throw<PipelineException>()
            .WithMessage("Setting Dashboard:Token (LDP_DASHBOARD__TOKEN) has 16 characters: a bearer token needs at least 32*")
            .Which.Message.Should().NotContain("s3cret");
    }

    [Fact]
    public void Settings_RefuseAKnownProxyThatIsNotAnAddress() =>
        new ServeSettings { Dashboard = new DashboardSettings(KnownProxies: ["proxy.local"]) }
            .Invoking(s => s.Validate()).Should().Throw<PipelineException>().WithMessage("*KnownProxies*'proxy.local', which is not an IP address*");

    /// <summary>The server on a free loopback port, started; its address.</summary>
    private static async Task<(WebApplication App, string Address)> StartOnLoopback(TempFolder folder)
    {
        var settings = HostingSupport.Settings(folder.Combine("data"), HostingSupport.KeyFile(folder)) with { Bind = "127.0.0.1", Port = 0 };
        var app = ServeHost.BuildServer(settings, new InMemoryStorage(), logging: _ => { });
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    private static async Task<WebApplication> StartOnTestServer(ServeSettings settings)
    {
        var app = ServeHost.BuildServer(settings, new InMemoryStorage(), logging: _ => { }, configureWebHost: web => web.UseTestServer());
        await app.StartAsync();
        return app;
    }

    private static Task<HttpContext> Get(WebApplication app, string remoteAddress, string? authorization, params (string Name, string Value)[] headers) =>
        app.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = ServeHost.DashboardPath;
            context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
            if (authorization is not null)
            {
                context.Request.Headers.Authorization = authorization;
            }

            foreach (var (name, value) in headers)
            {
                context.Request.Headers[name] = value;
            }
        });

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
