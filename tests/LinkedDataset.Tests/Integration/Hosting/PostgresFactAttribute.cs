namespace LinkedDataset.Tests.Integration.Hosting;

/// <summary>
/// A fact that needs a PostgreSQL server: skipped, saying how to run it, unless
/// <c>LDP_TEST_POSTGRES</c> holds a connection string (<c>.ci/run</c> starts PostgreSQL and sets it).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "LDP_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"Needs PostgreSQL: set {Variable} to a connection string (e.g. \"Host=127.0.0.1;Username=ldp;Password=ldp;Database=ldp_test\"), or run `bash .ci/run`, which installs and starts PostgreSQL and sets it.";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
