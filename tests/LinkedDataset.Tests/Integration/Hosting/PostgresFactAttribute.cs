namespace LinkedDataset.Tests.Integration.Hosting;

/// <summary>
/// A fact that needs a PostgreSQL server: skipped, saying how to run it, unless
/// <c>LDP_TEST_POSTGRES</c> holds a connection string (<c>.ci/run</c> starts PostgreSQL and sets it).
/// Under <c>CI=true</c> it is never skipped: without the server it fails, so CI cannot pass without it.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "LDP_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Needs PostgreSQL: set {Variable} to a connection string (e.g. \"Host=127.0.0.1;Username=ldp;Password=ldp;Database=ldp_test\"), or run `bash .ci/run`, which installs and starts PostgreSQL and sets it.";
        }
    }

    /// <summary>The server to use; under CI a missing one is an error that says so.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : Environment.GetEnvironmentVariable("CI") == "true"
            ? throw new InvalidOperationException($"CI=true but {Variable} is not set: .ci/run must start PostgreSQL for the scale-out test.")
            : null;
}
