using System.Globalization;

namespace LinkedDataset.Pipeline.Reports;

/// <summary>
/// A time axis that stays readable however far back the data goes: months within the window (the
/// last <c>windowMonths</c> months up to the latest period) keep their own bin; earlier months are
/// aggregated by calendar year ("2019"; a year cut by the window start is labelled "2022-01..08").
/// Periods are <c>YYYY-MM</c>; anything else is kept as its own bin at the end.
/// </summary>
public sealed class TimeAxis
{
    private readonly Dictionary<string, string> labelOf;

    private TimeAxis(IReadOnlyList<string> labels, Dictionary<string, string> labelOf, string? windowStart)
    {
        Labels = labels;
        this.labelOf = labelOf;
        WindowStart = windowStart;
    }

    /// <summary>Bin labels in time order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The first month shown on its own (null when there are no periods).</summary>
    public string? WindowStart { get; }

    /// <summary>The bin a period falls in.</summary>
    public string LabelOf(string period) => labelOf.TryGetValue(period, out var label) ? label : period;

    /// <summary>The axis for <paramref name="periods"/> with a window of <paramref name="windowMonths"/> months.</summary>
    public static TimeAxis For(IEnumerable<string> periods, int windowMonths = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowMonths, 1);
        var distinct = periods.Distinct(StringComparer.Ordinal).ToList();
        var months = distinct.Select(p => (Period: p, Month: Parse(p))).Where(p => p.Month is not null).Select(p => (p.Period, Month: p.Month!.Value)).OrderBy(p => p.Month).ToList();
        var other = distinct.Where(p => Parse(p) is null).Order(StringComparer.Ordinal).ToList();
        if (months.Count == 0)
        {
            return new TimeAxis(other, other.ToDictionary(p => p, p => p), null);
        }

        var windowStart = months[^1].Month.AddMonths(-(windowMonths - 1));
        var before = months.Where(p => p.Month < windowStart).ToList();
        var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new List<string>();
        foreach (var year in before.GroupBy(p => p.Month.Year))
        {
            var cut = year.Key == windowStart.Year && windowStart.Month > 1;
            var label = cut
                ? string.Create(CultureInfo.InvariantCulture, $"{year.Key}-01..{windowStart.Month - 1:00}")
                : year.Key.ToString(CultureInfo.InvariantCulture);
            labels.Add(label);
            foreach (var p in year)
            {
                labelOf[p.Period] = label;
            }
        }

        foreach (var p in months.Where(p => p.Month >= windowStart))
        {
            labelOf[p.Period] = p.Period;
            labels.Add(p.Period);
        }

        foreach (var p in other)
        {
            labelOf[p] = p;
            labels.Add(p);
        }

        return new TimeAxis(labels, labelOf, windowStart.ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    private static DateOnly? Parse(string period) =>
        DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month : null;
}
