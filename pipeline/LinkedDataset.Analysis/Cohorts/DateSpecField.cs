using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>Reads a <see cref="DateSpec"/> from a field of a definition file.</summary>
public static class DateSpecField
{
    /// <summary>A date: <c>YYYY-MM-DD</c>, or an anchor to the snapshot's data (<see cref="DateSpec"/>); otherwise an error naming file, line and field.</summary>
    public static DateSpec Date(this YamlField field) => DateSpec.TryParse(field.Text()) ?? throw field.Error(
        $"'{field.Text()}' is not a date; write YYYY-MM-DD, or data_start / data_end with an optional offset such as 'data_end - 12 months' or 'data_start + 365 days'.");
}
