using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>The months of data a snapshot holds: first and last day of its activity extracts.</summary>
/// <param name="Start">First day of the first month.</param>
/// <param name="End">Last day of the last month.</param>
public sealed record DataWindow(DateOnly Start, DateOnly End);

/// <summary>
/// A date in a definition file: fixed (<c>2025-04-01</c>) or anchored to the snapshot's data
/// (<c>data_start</c>, <c>data_end</c>, optionally <c>± N days|months</c>), so an example file keeps
/// working as new months arrive. Resolved once per run against the snapshot's <see cref="DataWindow"/>.
/// </summary>
/// <param name="Fixed">The fixed date, when not anchored.</param>
/// <param name="Anchor"><c>data_start</c> or <c>data_end</c>, when anchored.</param>
/// <param name="Offset">Signed offset from the anchor.</param>
/// <param name="Unit"><c>days</c> or <c>months</c>.</param>
public sealed partial record DateSpec(DateOnly? Fixed, string? Anchor = null, int Offset = 0, string Unit = "days")
{
    /// <summary>Parses the forms above, or returns null.</summary>
    public static DateSpec? TryParse(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateSpec(date);
        }

        var m = AnchorPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var offset = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * (m.Groups[2].Value == "-" ? -1 : 1) : 0;
        var unit = m.Groups[4].Success ? (m.Groups[4].Value.StartsWith("month", StringComparison.Ordinal) ? "months" : "days") : "days";
        return new DateSpec(null, m.Groups[1].Value, offset, unit);
    }

    /// <summary>The date on this snapshot.</summary>
    public DateOnly Resolve(DataWindow data)
    {
        if (Fixed is { } fixedDate)
        {
            return fixedDate;
        }

        var anchor = Anchor == "data_start" ? data.Start : data.End;
        return Unit == "months" ? anchor.AddMonths(Offset) : anchor.AddDays(Offset);
    }

    /// <inheritdoc />
    public override string ToString() => Fixed is { } d
        ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : Offset == 0 ? Anchor! : $"{Anchor} {(Offset < 0 ? "-" : "+")} {Math.Abs(Offset)} {Unit}";

    [GeneratedRegex(@"^(data_start|data_end)(?:\s*([+-])\s*(\d{1,5})\s*(days?|months?))?$")]
    private static partial Regex AnchorPattern();
}
