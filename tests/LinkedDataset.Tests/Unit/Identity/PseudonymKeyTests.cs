using System.Text;
using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Identity;
using Xunit;

namespace LinkedDataset.Tests.Unit.Identity;

// Environment variables are process-wide: these tests use variable names of their own.
public sealed class PseudonymKeyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ldp-key-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void FromFile_RefusesShortKey_WithoutRevealingIt()
    {
        var secret = "shortSecretKeyValue123"; // 22 bytes
        var path = Path.Combine(_folder, "short.key");
        File.WriteAllText(path, secret);

        var act = () => PseudonymKey.FromFile(path);

        var message = act.Should().Throw<PipelineException>().Which.Message;
        message.Should().Contain("at least 32 bytes").And.NotContain(secret);
        message.Should().NotContain(Convert.ToHexString(Encoding.ASCII.GetBytes(secret)));
    }

    [Fact]
    public void FromFile_ReportsMissingFile() =>
        FluentActions.Invoking(() => PseudonymKey.FromFile(Path.Combine(_folder, "none.key")))
            .Should().Throw<PipelineException>().WithMessage("*does not exist*");

    [Fact]
    public void FromEnvironment_ReadsBase64AndHex_ToTheSameKey()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var b64 = "LDP_TEST_KEY_B64_" + Guid.NewGuid().ToString("N");
        var hex = "LDP_TEST_KEY_HEX_" + Guid.NewGuid().ToString("N");
        try
        {
            Environment.SetEnvironmentVariable(b64, " " + Convert.ToBase64String(key) + "\n");
            Environment.SetEnvironmentVariable(hex, "hex:" + Convert.ToHexString(key));
            var fromB64 = PseudonymKey.FromEnvironment(b64);
            var fromHex = PseudonymKey.FromEnvironment(hex);
            fromB64.KeyId.Should().Be(fromHex.KeyId).And.Be(PseudonymKey.FromBytes(key).KeyId);
            fromB64.Source.Should().Contain(b64);
        }
        finally
        {
            Environment.SetEnvironmentVariable(b64, null);
            Environment.SetEnvironmentVariable(hex, null);
        }
    }

    [Fact]
    public void FromEnvironment_RefusesRawTextAndShortKeys_WithoutRevealingThem()
    {
        var name = "LDP_TEST_KEY_BAD_" + Guid.NewGuid().ToString("N");
        try
        {
            Environment.SetEnvironmentVariable(name, "correct horse battery staple!");
            FluentActions.Invoking(() => PseudonymKey.FromEnvironment(name))
                .Should().Throw<PipelineException>().Which.Message.Should().NotContain("horse");

            var shortKey = Convert.ToBase64String(new byte[16] { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 });
            Environment.SetEnvironmentVariable(name, shortKey);
            FluentActions.Invoking(() => PseudonymKey.FromEnvironment(name))
                .Should().Throw<PipelineException>().Which.Message.Should().Contain("at least 32 bytes").And.NotContain(shortKey);

            Environment.SetEnvironmentVariable(name, null);
            FluentActions.Invoking(() => PseudonymKey.FromEnvironment(name))
                .Should().Throw<PipelineException>().WithMessage("*not set*");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Load_PrefersTheKeyFileNamedOnTheCommandLine_ThenTheEnvironmentVariable()
    {
        var name = "LDP_TEST_KEY_LOAD_" + Guid.NewGuid().ToString("N");
        var fileKey = PseudonymKey.CreateDevelopmentKey(Path.Combine(_folder, "dev.key"));
        var envKey = Enumerable.Repeat((byte)0x5a, 32).ToArray();
        try
        {
            PseudonymKey.Load(Path.Combine(_folder, "dev.key"), name).KeyId.Should().Be(fileKey.KeyId);
            Environment.SetEnvironmentVariable(name, Convert.ToBase64String(envKey));
            PseudonymKey.Load(Path.Combine(_folder, "dev.key"), name).KeyId.Should().Be(fileKey.KeyId);
            PseudonymKey.Load(null, name).KeyId.Should().Be(PseudonymKey.FromBytes(envKey).KeyId);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        FluentActions.Invoking(() => PseudonymKey.Load(null, name)).Should().Throw<PipelineException>();
    }

    [Fact]
    public void CreateDevelopmentKey_Writes32RandomBytes_OwnerOnly_AndRefusesToOverwrite()
    {
        var path = Path.Combine(_folder, "sub", "dev.key");
        var created = PseudonymKey.CreateDevelopmentKey(path);

        File.ReadAllBytes(path).Should().HaveCount(32);
        PseudonymKey.FromFile(path).KeyId.Should().Be(created.KeyId);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        FluentActions.Invoking(() => PseudonymKey.CreateDevelopmentKey(path)).Should().Throw<PipelineException>();
        PseudonymKey.CreateDevelopmentKey(Path.Combine(_folder, "other.key")).KeyId.Should().NotBe(created.KeyId);
        Directory.GetFiles(Path.Combine(_folder, "sub")).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void KeyIdAndToString_DoNotRevealKey()
    {
        var keyBytes = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"); // printable, so a leak would show
        var key = PseudonymKey.FromBytes(keyBytes);

        key.KeyId.Should().MatchRegex("^[0-9a-f]{16}$");
        var hex = Convert.ToHexStringLower(keyBytes);
        foreach (var text in new[] { key.KeyId, key.ToString() })
        {
            text.Should().NotContain("0123456789").And.NotContain(hex[..16]).And.NotContain(Convert.ToBase64String(keyBytes)[..12]);
        }

        key.ToString().Should().Contain(key.KeyId);
        PseudonymKey.FromBytes(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdeX")).KeyId.Should().NotBe(key.KeyId);
    }
}
