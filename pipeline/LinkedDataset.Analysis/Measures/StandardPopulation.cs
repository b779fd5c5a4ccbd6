using System.Globalization;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;

namespace LinkedDataset.Analysis.Measures;

/// <summary>The European Standard Population 2013 (<c>schemas/reference/population/esp2013/</c>, provenance in its SOURCE.md).</summary>
public static class StandardPopulation
{
    private static string Folder => Path.Combine(ProjectPaths.Reference, "population", "esp2013");

    /// <summary>The weights of the 19 five-year groups 0-4 … 85-89, 90+ (index = age // 5, capped at 18); they sum to 100,000.</summary>
    public static IReadOnlyList<double> Esp2013()
    {
        var weights = File.ReadLines(Path.Combine(Folder, "esp2013.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToList();
        if (weights.Count != 19 || Math.Abs(weights.Sum() - 100_000) > 0.5)
        {
            throw new PipelineException($"{Path.Combine(Folder, "esp2013.csv")} must hold 19 age groups summing to 100,000; it has {weights.Count} summing to {weights.Sum()}.");
        }

        return weights;
    }

    /// <summary>The version recorded with outputs: VERSION text plus a hash of the file.</summary>
    public static string Version => MartReference.Version(Folder, "esp2013.csv");
}
