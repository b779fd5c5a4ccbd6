using FluentAssertions;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Governance;

/// <summary>A published five-person snapshot (with its marts, built by the run), and a development key file in a private home folder, shared by the tests.</summary>
public sealed class ExtractSandboxFixture : IDisposable
{
    public ExtractSandboxFixture()
    {
        Layout = GovernanceTests.LandFixture(Folder);
        var key = TestKeys.Write(Folder);
        GovernanceTests.StageAndPublish(Layout, key);
        Directory.CreateDirectory(Path.GetDirectoryName(DevKeyFile)!);
        File.WriteAllText(DevKeyFile, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    }

    public TempFolder Folder { get; } = new();

    public DatasetLayout Layout { get; }

    public string KeyFile => Folder.Combine("test.key");

    public string Home => Folder.Combine("home");

    /// <summary>Where <c>ldp</c> keeps the development key for this fixture's HOME: the file an attacker wants.</summary>
    public string DevKeyFile => Path.Combine(Home, ".linkeddataset", "dev-pseudonym.key");

    public void Dispose() => Folder.Dispose();
}

/// <summary>
/// <c>ldp extract --cohort FILE</c> takes cohort definition files (YAML, no SQL), as a user types it: the
/// cohort is built on the sandboxed snapshot and only its person ids reach the extractor. The old
/// <c>where:</c> SQL condition is refused, and a value that tries to smuggle SQL is refused before any query.
/// </summary>
public sealed class ExtractSandboxTests(ExtractSandboxFixture fixture) : IClassFixture<ExtractSandboxFixture>
{
    private LdpOutput Extract(string project, string cohortYaml)
    {
        var cohort = fixture.Folder.Combine(project + ".yaml");
        File.WriteAllText(cohort, cohortYaml);
        return LdpProcess.Run(
            new Dictionary<string, string> { ["HOME"] = fixture.Home },
            "extract", "--data", fixture.Layout.Root, "--key-file", fixture.KeyFile, "--project", project, "--cohort", cohort, "--columns", "person.sex");
    }

    [Fact]
    public void Extract_ReleasesTheCohortOfADefinitionFile()
    {
        // Persons 1, 3 and 5 of the fixture have sex 1 (1 + i % 2 for i = 0, 2, 4).
        var output = Extract("ordinary", """
            name: men
            population: { registered_on: data_start, sex: [male] }
            index: { date: data_start }
            """);

        output.ExitCode.Should().Be(0, output.ToString());
        // The printed counts pass disclosure control (3 is suppressed); the release itself holds the three.
        output.Stdout.Should().Contain("1-7 (suppressed) people");
        var release = Directory.GetDirectories(Path.Combine(fixture.Layout.Root, "extracts", "ordinary")).Single();
        using var db = DuckDb.OpenInMemory();
        DuckDb.Scalar<long>(db, $"SELECT count(DISTINCT project_person_id) FROM read_parquet({Sql.Path(Path.Combine(release, "person.parquet"))})").Should().Be(3);
    }

    [Fact]
    public void Extract_RefusesTheOldSqlWhere_WithOneLineNamingTheField()
    {
        var output = Extract("old", "where: \"person_id IN (SELECT 1 FROM read_csv('/etc/passwd'))\"\n");

        output.ExitCode.Should().NotBe(0, output.ToString());
        output.All.Should().Contain("old.yaml: line 1: where: unknown field 'where'").And.NotContain("   at ", "one clear line, no stack trace");
        Directory.Exists(Path.Combine(fixture.Layout.Root, "extracts", "old")).Should().BeFalse("nothing is released");
    }

    [Theory]
    [InlineData("district: [\"x') OR true --\"]", "line 2: population.district[1]")]
    [InlineData("sex: [\"male' OR '1'='1\"]", "line 2: population.sex[1]")]
    public void Extract_RefusesAValueThatLooksLikeSql_BeforeAnyQuery(string filter, string where)
    {
        var output = Extract("smuggle", $"name: smuggle\npopulation: {{ registered_on: data_start, {filter} }}\nindex: {{ date: data_start }}\n");

        output.ExitCode.Should().NotBe(0, output.ToString());
        output.All.Should().Contain("smuggle.yaml: " + where).And.NotContain("   at ");
        output.All.Should().NotContain("00112233", "nothing of the key file is printed");
        Directory.Exists(Path.Combine(fixture.Layout.Root, "extracts", "smuggle")).Should().BeFalse("nothing is released");
    }
}
