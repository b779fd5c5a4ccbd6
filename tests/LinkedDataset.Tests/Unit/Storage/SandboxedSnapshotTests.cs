using FluentAssertions;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Storage;

/// <summary>A connection locked down for user definitions reads its allowed folder and nothing else.</summary>
public sealed class SandboxedSnapshotTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private (DuckDB.NET.Data.DuckDBConnection Db, string Secret) LockedConnection()
    {
        var snapshot = Directory.CreateDirectory(temp.Combine("snapshot")).FullName;
        var secret = temp.Combine("secret.key");
        File.WriteAllText(secret, "top secret key material");
        var db = DuckDb.OpenInMemory();
        DuckDb.Execute(db, $"COPY (SELECT 1 AS x) TO {Sql.Path(Path.Combine(snapshot, "t.parquet"))} (FORMAT parquet)");
        DuckDb.Execute(db, $"CREATE VIEW t AS SELECT * FROM read_parquet({Sql.Path(Path.Combine(snapshot, "*.parquet"))})");
        SandboxedSnapshot.LockDown(db, [snapshot]);
        return (db, secret);
    }

    [Fact]
    public void LockedConnection_StillReadsTheSnapshotViews()
    {
        var (db, _) = LockedConnection();
        using (db)
        {
            DuckDb.Scalar<long>(db, "SELECT count(*) FROM t").Should().Be(1);
        }
    }

    [Theory]
    [InlineData("SELECT * FROM read_blob({secret})")]
    [InlineData("SELECT * FROM read_text({secret})")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("COPY (SELECT 1) TO {outside}")]
    [InlineData("ATTACH {outside} AS other")]
    [InlineData("INSTALL httpfs")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("RESET allowed_directories")]
    public void LockedConnection_RefusesEveryEscape(string statement)
    {
        var (db, secret) = LockedConnection();
        using (db)
        {
            var sql = statement.Replace("{secret}", Sql.Path(secret)).Replace("{outside}", Sql.Path(temp.Combine("out.db")));
            var act = () => DuckDb.Execute(db, sql);
            act.Should().Throw<Exception>();
            File.Exists(temp.Combine("out.db")).Should().BeFalse();
        }
    }
}
