using System.Globalization;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// Reads an intervention's effect from an evaluation result CSV: one row per outcome with columns <c>outcome</c>,
/// <c>estimate</c>, <c>ci_low</c>, <c>ci_high</c>, a relative change in the outcome among participants with its
/// 95 % interval (−0.12 = 12 % fewer). The model wants a relative reduction as an 80 % interval: the sign is turned
/// and the 95 % half-width (1.96 sd) is scaled to 1.2816 sd.
/// </summary>
public static class EvaluationEffect
{
    /// <summary>The reduction interval for <paramref name="outcome"/>, and a source line for the report.</summary>
    public static (Interval Effect, string Source) Read(string file, string outcome, Func<PipelineException> missing)
    {
        if (!File.Exists(file))
        {
            throw missing();
        }

        using var reader = new StreamReader(file);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string?>();
        if (!csv.Read(fields))
        {
            throw new PipelineException($"{file}: empty; expected columns outcome, estimate, ci_low, ci_high.");
        }

        var header = fields.Select(f => (f ?? "").Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new PipelineException($"{file}: line 1: no column {name}; expected outcome, estimate, ci_low, ci_high.");
        var (o, e, lo, hi) = (Column("outcome"), Column("estimate"), Column("ci_low"), Column("ci_high"));
        while (csv.Read(fields))
        {
            if (!string.Equals(fields.ElementAtOrDefault(o), outcome, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            double Value(int column, string name) => double.TryParse(fields.ElementAtOrDefault(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new PipelineException($"{file}: line {csv.Line}, column {name}: '{fields.ElementAtOrDefault(column)}' is not a number.");
            var (estimate, low, high) = (Value(e, "estimate"), Value(lo, "ci_low"), Value(hi, "ci_high"));
            var half80 = (high - low) / 2 / 1.96 * 1.2816;
            return (new Interval(-estimate - half80, -estimate + half80),
                $"{Path.GetFileName(file)}: {outcome} {estimate.ToString("0.###", CultureInfo.InvariantCulture)} (95 % {low.ToString("0.###", CultureInfo.InvariantCulture)} to {high.ToString("0.###", CultureInfo.InvariantCulture)})");
        }

        throw new PipelineException($"{file}: no row with outcome '{outcome}'.");
    }
}
