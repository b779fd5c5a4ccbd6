using FluentAssertions;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Governance;

/// <summary>A published five-person snapshot and a development key file in a private home folder, shared by the tests.</summary>
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
/// <c>ldp extract</c>'s cohort condition runs on a sandboxed DuckDB connection: as a user (or an
/// attacker with write access to a cohort file) types it, no condition reads a file, writes one,
/// attaches a database, installs an extension or changes a setting.
/// </summary>
public sealed class ExtractSandboxTests(ExtractSandboxFixture fixture) : IClassFixture<ExtractSandboxFixture>
{
    private LdpOutput Extract(string project, string where)
    {
        var cohort = fixture.Folder.Combine(project + ".yaml");
        File.WriteAllText(cohort, "where: \"" + where.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"\n");
        return LdpProcess.Run(
            new Dictionary<string, string> { ["HOME"] = fixture.Home },
            "extract", "--data", fixture.Layout.Root, "--key-file", fixture.KeyFile, "--project", project, "--cohort", cohort, "--columns", "person.sex");
    }

    [Fact]
    public void Extract_RunsAnOrdinaryCondition_OnTheSandboxedSnapshot()
    {
        // Persons 1, 3 and 5 of the fixture have sex 1 (1 + i % 2 for i = 0, 2, 4).
        var output = Extract("ordinary", "sex = '1'");

        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Contain("3 people").And.Contain("person 3 rows");
    }

    [Theory]
    [InlineData("EXISTS (SELECT 1 FROM read_blob('{key}') WHERE substr(content::VARCHAR, 1, 1) = '0')")]
    [InlineData("person_id IN (SELECT 1 FROM read_csv('/etc/passwd'))")]
    [InlineData("person_id IN (SELECT 1 FROM read_parquet('{data}/linkage/link_table.parquet'))")]
    public void Extract_FailsSafe_WhenTheConditionReadsAFile(string where)
    {
        var outFile = fixture.Folder.Combine("escape.out");
        var sql = where.Replace("{key}", fixture.DevKeyFile).Replace("{data}", fixture.Layout.Root).Replace("{out}", outFile);

        var output = Extract("escape", sql);

        output.ExitCode.Should().NotBe(0, output.ToString());
        output.All.Should().Contain("escape.yaml: the 'where' condition tried to read a file").And.NotContain("   at ", "one clear line, no stack trace");
        output.All.Should().NotContain("00112233", "nothing of the key file is printed");
        File.Exists(outFile).Should().BeFalse();
        Directory.Exists(Path.Combine(fixture.Layout.Root, "extracts", "escape")).Should().BeFalse("nothing is released");
    }

    [Theory]
    [InlineData("COPY (SELECT 1) TO '{out}'", "COPY")]
    [InlineData("ATTACH '{out}' AS other", "ATTACH")]
    [InlineData("INSTALL httpfs", "INSTALL")]
    [InlineData("true) OR (SET enable_external_access = true", "SET")]
    public void Extract_RefusesAStatement_NamingIt(string where, string keyword)
    {
        var outFile = fixture.Folder.Combine("statement.out");

        var output = Extract("statement", where.Replace("{out}", outFile));

        output.ExitCode.Should().NotBe(0, output.ToString());
        output.All.Should().Contain($"statement.yaml: 'where' uses {keyword}, which is not allowed").And.NotContain("   at ");
        File.Exists(outFile).Should().BeFalse();
    }
}
