namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// A lever value: a point (<see cref="Lo"/> = <see cref="Hi"/>) or an 80 % interval. As in the NHP
/// demand model, an interval is sampled as a normal distribution centred on its midpoint with
/// sd = (hi − lo) / 2.563 (the 10th and 90th centiles are ±1.2816 sd); the principal run uses the midpoint.
/// </summary>
public sealed record Interval(double Lo, double Hi)
{
    /// <summary>Width of an 80 % interval in standard deviations of a normal: 2 × 1.2816.</summary>
    public const double Z80Width = 2.563;

    /// <summary>A point value: no uncertainty.</summary>
    public static Interval Point(double value) => new(value, value);

    /// <summary>The value of the principal run.</summary>
    public double Mid => (Lo + Hi) / 2;

    /// <summary>Standard deviation of the normal the Monte Carlo runs sample from (0 for a point).</summary>
    public double Sd => (Hi - Lo) / Z80Width;

    /// <summary>The interval with both ends scaled (e.g. a share given in percent).</summary>
    public Interval Scale(double factor) => new(Lo * factor, Hi * factor);

    /// <inheritdoc/>
    public override string ToString() => Lo == Hi ? Format(Lo) : $"[{Format(Lo)}, {Format(Hi)}]";

    private static string Format(double v) => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
