using System.Globalization;

// Benchmarks are commands that print their figures; none is a test. Usage at the bottom.
if (args is ["pseudonymise", var rows])
{
    LinkedDataset.Benchmarks.PseudonymiseBenchmark.Run(long.Parse(rows, CultureInfo.InvariantCulture));
    return;
}

if (args is ["person-year", var people, ..] && args.Length <= 3)
{
    LinkedDataset.Benchmarks.PersonYearBenchmark.Run(long.Parse(people, CultureInfo.InvariantCulture), args.Length == 3 ? args[2] : null);
    return;
}

if (args is ["linkage", .. var sizes])
{
    LinkedDataset.Benchmarks.LinkageBenchmark.Run(
        sizes.Length > 0 ? long.Parse(sizes[0], CultureInfo.InvariantCulture) : 1_800_000,
        sizes.Length > 1 ? long.Parse(sizes[1], CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

if (args is ["cohorts", var cohortPeople, ..] && args.Length <= 3)
{
    LinkedDataset.Benchmarks.CohortBenchmark.Run(long.Parse(cohortPeople, CultureInfo.InvariantCulture), args.Length == 3 ? args[2] : null);
    return;
}

if (args is ["evaluate", .. var evaluate])
{
    LinkedDataset.Benchmarks.EvaluationBenchmark.Run(
        evaluate.Length > 0 ? long.Parse(evaluate[0], CultureInfo.InvariantCulture) : 1_800_000,
        evaluate.Length > 1 ? long.Parse(evaluate[1], CultureInfo.InvariantCulture) : 18_000,
        evaluate.Length > 2 ? int.Parse(evaluate[2], CultureInfo.InvariantCulture) : 200);
    return;
}

Console.WriteLine("usage: pseudonymise ROWS | person-year PEOPLE [FOLDER] | linkage [PEOPLE] [RECORDS] | cohorts PEOPLE [FOLDER] | evaluate [PEOPLE] [REFERRALS] [REPLICATES]");
