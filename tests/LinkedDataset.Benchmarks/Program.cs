if (args is ["pseudonymise", var rows])
{
    LinkedDataset.Benchmarks.PseudonymiseBenchmark.Run(long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["linkage", .. var sizes])
{
    LinkedDataset.Benchmarks.LinkageBenchmark.Run(
        sizes.Length > 0 ? long.Parse(sizes[0], System.Globalization.CultureInfo.InvariantCulture) : 1_800_000,
        sizes.Length > 1 ? long.Parse(sizes[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

Console.WriteLine("usage: pseudonymise ROWS | linkage [PEOPLE] [RECORDS]");
