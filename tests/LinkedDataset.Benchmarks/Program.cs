if (args is ["pseudonymise", var rows])
{
    LinkedDataset.Benchmarks.PseudonymiseBenchmark.Run(long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["person-year", var people, ..] && args.Length <= 3)
{
    LinkedDataset.Benchmarks.PersonYearBenchmark.Run(long.Parse(people, System.Globalization.CultureInfo.InvariantCulture), args.Length == 3 ? args[2] : null);
    return;
}

Console.WriteLine("bench pseudonymise ROWS | bench person-year PEOPLE [FOLDER]");
