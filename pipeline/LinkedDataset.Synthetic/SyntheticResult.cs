namespace LinkedDataset.Synthetic;

/// <summary>Progress of a run: which month is done.</summary>
public sealed record SyntheticProgress(string Phase, int MonthsDone, int MonthsTotal, long RowsWritten);

/// <summary>An achieved rate next to its target (per 1,000 people per year, or a percentage).</summary>
public sealed record RateCheck(string Measure, string Unit, double Achieved, double Target);

/// <summary>What a run produced.</summary>
public sealed record SyntheticResult(
    int InitialPeople,
    int TotalPeople,
    IReadOnlyDictionary<string, long> RowsPerFeed,
    int FilesWritten,
    IReadOnlyList<RateCheck> Rates,
    long FaultsLogged,
    double PersonYears,
    TimeSpan Elapsed,
    double PeopleMonthsPerSecond,
    string OutputFolder,
    string TruthFolder);
