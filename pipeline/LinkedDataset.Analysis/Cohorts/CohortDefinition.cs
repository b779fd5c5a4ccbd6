namespace LinkedDataset.Analysis.Cohorts;

/// <summary>A cohort definition file, parsed and validated (<see cref="CohortParser"/>). Holds no SQL.</summary>
/// <param name="Name">Cohort name: the folder its outputs are written to.</param>
/// <param name="Description">What the cohort is, for the report.</param>
/// <param name="Population">Who can enter: registration and demographic filters.</param>
/// <param name="Index">The index date: fixed, or per person from an event.</param>
/// <param name="Rules">Inclusion and exclusion rules, applied in order (each an attrition row).</param>
/// <param name="Exit">When follow-up ends.</param>
/// <param name="Variables">Output variables of the person-level table.</param>
/// <param name="CostWindow">When given, costs by setting in this window (relative to index) are output.</param>
/// <param name="SourcePath">The file it came from.</param>
/// <param name="FileHash">SHA-256 of the file's bytes, recorded with every output.</param>
public sealed record CohortDefinition(
    string Name, string Description, PopulationSpec Population, IndexSpec Index, IReadOnlyList<CohortRule> Rules,
    ExitSpec Exit, IReadOnlyList<VariableSpec> Variables, DayWindow? CostWindow, string SourcePath, string FileHash)
{
    /// <summary>Every codelist the definition uses (index, rules, variables).</summary>
    public IEnumerable<CodelistRef> Codelists =>
        new[] { Index.Event?.Source }.Concat(Rules.Select(r => r.Criterion.Source)).Concat(Variables.Select(v => v.Criterion?.Source))
            .OfType<CodesSource>().Select(c => c.Codelist).DistinctBy(c => c.Name);
}

/// <summary>
/// Who can enter the cohort. Registered on a date (<paramref name="RegisteredFrom"/> = <paramref name="RegisteredTo"/>)
/// or on some day of a period, and alive on its first day; age at the index date; lists are "any of".
/// </summary>
public sealed record PopulationSpec(
    DateSpec RegisteredFrom, DateSpec RegisteredTo, int? AgeMin, int? AgeMax, IReadOnlyList<string> Sex,
    IReadOnlyList<string> Districts, IReadOnlyList<string> Lsoas, IReadOnlyList<int> ImdQuintiles, IReadOnlyList<string> Practices);

/// <summary>The index date: <paramref name="Fixed"/>, or the first/last <paramref name="Event"/> in a period.</summary>
public sealed record IndexSpec(DateSpec? Fixed, IndexEvent? Event);

/// <summary>Index at the first (or last) event of <paramref name="Source"/> between two dates (inclusive).</summary>
/// <param name="First">True for the first event, false for the last.</param>
/// <param name="Source">Which events.</param>
/// <param name="From">First day events count.</param>
/// <param name="To">Last day events count.</param>
public sealed record IndexEvent(bool First, EventSource Source, DateSpec From, DateSpec To);

/// <summary>Days relative to the index date, both ends inclusive (-365..-1 = the 365 days before). Null <paramref name="From"/>: any time before <paramref name="To"/>.</summary>
public sealed record DayWindow(int? From, int To)
{
    /// <inheritdoc />
    public override string ToString() => From is { } f ? $"days {f} to {To}" : $"any day up to {To}";
}

/// <summary>A named inclusion or exclusion rule.</summary>
/// <param name="Name">Shown in attrition and cohort-test messages.</param>
/// <param name="Exclude">True: people meeting the criterion are removed.</param>
/// <param name="Criterion">What is tested.</param>
public sealed record CohortRule(string Name, bool Exclude, Criterion Criterion);

/// <summary>
/// What a rule or variable tests. Event criteria count events of <see cref="Source"/> in <see cref="Window"/>
/// (between <see cref="AtLeast"/> and <see cref="AtMost"/>); <see cref="Segment"/> tests <c>person_year</c>;
/// <see cref="Death"/> tests the date of death.
/// </summary>
public sealed record Criterion(
    EventSource? Source, DayWindow? Window, int AtLeast, int? AtMost, SegmentSpec? Segment, bool Death);

/// <summary>Where events come from.</summary>
public abstract record EventSource;

/// <summary>Costed activity of some settings (<c>costed_activity.setting</c>), e.g. <c>apc_emergency</c>.</summary>
public sealed record ActivitySource(IReadOnlyList<string> Settings) : EventSource;

/// <summary>Coded events: SNOMED CT in the GP record or ICD-10 (prefix) in any admitted care diagnosis.</summary>
public sealed record CodesSource(CodelistRef Codelist) : EventSource;

/// <summary>Rows of a feed whose code columns take given values, e.g. telecare <c>call_reason: fall</c>.</summary>
public sealed record FeedSource(string Feed, IReadOnlyList<FeedMatch> Match) : EventSource;

/// <summary>A feed column equal to one of several values (validated against the feed schema's code set).</summary>
public sealed record FeedMatch(string Column, IReadOnlyList<string> Values);

/// <summary>A versioned codelist under <c>schemas/reference/codelists/</c>.</summary>
/// <param name="Name">Folder (all its lists) or folder/list, e.g. <c>falls</c>, <c>ltc/dementia</c>.</param>
/// <param name="System"><c>snomed</c> or <c>icd10</c>.</param>
/// <param name="Files">The files read.</param>
/// <param name="Version">The folder's VERSION plus a hash of the files.</param>
public sealed record CodelistRef(string Name, string System, IReadOnlyList<string> Files, string Version);

/// <summary>Conditions on the person's <c>person_year</c> row of the index year (or the year before).</summary>
public sealed record SegmentSpec(bool PreviousYear, IReadOnlyList<SegmentCondition> Conditions);

/// <summary>One condition on a <c>person_year</c> column: any of <paramref name="Values"/>, a range, or in the top percent.</summary>
public sealed record SegmentCondition(string Column, IReadOnlyList<string> Values, double? Min, double? Max, double? TopPercent);

/// <summary>When follow-up ends: the earliest of index + days − 1, end of registration, death and the end of the data.</summary>
public sealed record ExitSpec(int? FollowUpDays);

/// <summary>
/// An output variable: a built-in (<see cref="VariableSpec.Builtins"/>, from person and person_year at the index year),
/// or a named count / flag of a criterion.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Builtin">True for a built-in.</param>
/// <param name="Kind"><c>count</c> or <c>has</c> for criterion variables.</param>
/// <param name="Criterion">The criterion counted or tested.</param>
public sealed record VariableSpec(string Name, bool Builtin, string Kind, Criterion? Criterion)
{
    /// <summary>Built-in variables and their SQL expression over person <c>p</c> and person_year <c>y</c> (index year) and the entry <c>e</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Builtins = new Dictionary<string, string>
    {
        ["age"] = "e.age",
        ["age_band"] = "e.age_band",
        ["sex"] = "CASE p.sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' WHEN '9' THEN 'indeterminate' ELSE 'not known' END",
        ["district"] = "p.district",
        ["lsoa"] = "p.lsoa11cd",
        ["imd_quintile"] = "p.imd_quintile",
        ["practice"] = "e.practice_code",
        ["efi_category"] = "y.efi_category",
        ["ltc_count"] = "y.ltc_count",
        ["charlson_index"] = "y.charlson_index",
        ["segment"] = "y.segment",
        ["lives_alone"] = "y.lives_alone",
        ["long_term_social_care"] = "y.long_term_social_care",
        ["care_home"] = "y.care_home",
        ["telecare_user"] = "y.telecare_user",
        ["multimorbidity"] = "y.multimorbidity",
    };
}
