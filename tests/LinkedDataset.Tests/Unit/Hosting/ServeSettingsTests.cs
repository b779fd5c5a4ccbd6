using FluentAssertions;
using LinkedDataset.Jobs.Hosting;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace LinkedDataset.Tests.Unit.Hosting;

/// <summary><c>ldp serve</c>'s settings are bound from configuration and validated before anything starts.</summary>
public class ServeSettingsTests
{
    private static ServeSettings Bind(params (string Key, string? Value)[] values) =>
        ServeSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void From_BindsEverySection_ByTheKeysTheReadmeNames()
    {
        var settings = Bind(
            ("Data", "/srv/ldp"), ("Storage", "postgres"), ("Connection", "Host=db"), ("Port", "8080"), ("Workers", "3"),
            ("DuckDbThreads", "1"), ("DuckDbMemory", "512MB"), ("Worker", "true"),
            ("Schedules:Publish", "0 3 * * *"), ("Schedules:Reports", "off"),
            ("Dashboard:Token", new string('t', 32)), ("Dashboard:Writable", "true"),
            ("Postgres:Schema", "jobs"), ("Postgres:LockTimeout", "01:00:00"));

        settings.Data.Should().Be("/srv/ldp");
        settings.Storage.Should().Be(StorageKind.Postgres);
        settings.Connection.Should().Be("Host=db");
        (settings.Port, settings.Workers, settings.DuckDbThreads, settings.DuckDbMemory, settings.Worker).Should().Be((8080, 3, 1, "512MB", true));
        settings.Schedules.Should().Be(new Schedules(Publish: "0 3 * * *", Reports: "off"));
        settings.Dashboard.Token.Should().HaveLength(32);
        settings.Dashboard.Writable.Should().BeTrue();
        settings.Postgres.Schema.Should().Be("jobs");
        settings.Postgres.ResolvedLockTimeout.Should().Be(TimeSpan.FromHours(1));
        settings.Postgres.ResolvedInvisibilityTimeout.Should().Be(TimeSpan.FromMinutes(5), "unset keys keep their defaults");
    }

    [Fact]
    public void From_TheShippedAppSettings_GivesTheDefaults_EmptyMeaningDefault_AndWorkersZeroHalfTheCores()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "jobs", "LinkedDataset.Jobs", "appsettings.json")).Build();

        var settings = ServeSettings.From(shipped);

        // appsettings.json spells out the PostgreSQL timeouts; they equal the built-in defaults.
        settings.Should().BeEquivalentTo(new ServeSettings(), o => o.Excluding(s => s.Layout).Excluding(s => s.Postgres));
        settings.Postgres.Schema.Should().Be("hangfire");
        (settings.Postgres.ResolvedInvisibilityTimeout, settings.Postgres.ResolvedLockTimeout, settings.Postgres.ResolvedPollInterval)
            .Should().Be((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5)));
        settings.Landing.Should().BeNull();
        settings.KeyFile.Should().BeNull();
        settings.Dashboard.Token.Should().BeNull();
        settings.Workers.Should().Be(Math.Max(1, Environment.ProcessorCount / 2));
    }

    [Theory]
    [InlineData("Port", "banana", "Setting Port (LDP_PORT) is 'banana', which is not a whole number.")]
    [InlineData("Worker", "maybe", "Setting Worker (LDP_WORKER) is 'maybe', use true or false.")]
    [InlineData("Storage", "mongodb", "Setting Storage (LDP_STORAGE) is 'mongodb', use inmemory (the embedded default) or postgres.")]
    [InlineData("Postgres:LockTimeout", "soon", "Setting Postgres:LockTimeout (LDP_POSTGRES__LOCKTIMEOUT) is 'soon', which is not a duration written hh:mm:ss.")]
    [InlineData("Postgres:PollInterval", "-00:00:05", "Setting Postgres:PollInterval (LDP_POSTGRES__POLLINTERVAL) is -00:00:05, which is not a positive duration*")]
    [InlineData("DuckDbMemory", "banana", "Setting DuckDbMemory (LDP_DUCKDBMEMORY, --duckdb-memory) is 'banana', which is not a memory size*")]
    [InlineData("Workers", "-1", "Setting Workers (LDP_WORKERS, --workers) is -1*")]
    [InlineData("Port", "70000", "Setting Port (LDP_PORT, --port) is 70000, which is not a TCP port*")]
    [InlineData("Bind", "my laptop", "Setting Bind (LDP_BIND, --bind) is 'my laptop', which is not an IP address*")]
    public void From_RefusesABadValue_WithOneLineNamingTheSetting(string key, string value, string message) =>
        FluentActions.Invoking(() => Bind((key, value))).Should().Throw<PipelineException>().WithMessage(message);

    [Fact]
    public void Serve_ExitsNonZero_BeforeStarting_WhenASettingIsBad()
    {
        using var folder = new TempFolder();

        var output = LdpProcess.Run(new Dictionary<string, string> { ["LDP_DASHBOARD__WRITABLE"] = "sometimes" }, "serve", "--data", folder.Combine("data"), "--port", "0");

        output.ExitCode.Should().NotBe(0, output.ToString());
        output.All.Should().Contain("Setting Dashboard:Writable (LDP_DASHBOARD__WRITABLE) is 'sometimes', use true or false.")
            .And.NotContain("   at ").And.NotContain("ldp dashboard on");
    }
}
