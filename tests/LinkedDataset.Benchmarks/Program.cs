if (args is ["pseudonymise", var rows])
{
    LinkedDataset.Benchmarks.PseudonymiseBenchmark.Run(long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

Console.WriteLine("bench");
