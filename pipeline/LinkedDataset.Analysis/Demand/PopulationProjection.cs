using System.Globalization;
using System.Security.Cryptography;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Marts;

namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// A population projection for the chosen areas, by financial year (ONS mid-year Y stands for financial year
/// Y/Y+1, whose 30 June it is), age band and sex, read from files in the ONS SNPP layout:
/// <c>AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP</c> then one column per year; ages 0–89 and
/// "90 and over" (or "90+"); "All ages" rows are skipped; sex <c>males</c>/<c>females</c> (or 1/2, m/f);
/// rows whose COMPONENT is not <c>Population</c> are skipped.
/// </summary>
public sealed class PopulationProjection
{
    /// <summary>The 12 Kent County Council districts (April 2022 boundaries): what the area name "kent" means.</summary>
    public static readonly IReadOnlyList<string> KentDistricts =
    [
        "E07000105", "E07000106", "E07000107", "E07000108", "E07000109", "E07000110",
        "E07000111", "E07000112", "E07000113", "E07000114", "E07000115", "E07000116",
    ];

    private readonly Dictionary<(int Year, string Band, string Sex), double> people = [];

    private PopulationProjection(string name)
    {
        Name = name;
    }

    /// <summary>Name of the variant.</summary>
    public string Name { get; }

    /// <summary>Years every file covers.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    /// <summary>Areas read (code and name).</summary>
    public IReadOnlyList<string> AreasRead { get; private set; } = [];

    /// <summary>SHA-256 of each file read, by file name, for provenance.</summary>
    public IReadOnlyDictionary<string, string> FileHashes { get; private set; } = new Dictionary<string, string>();

    /// <summary>People projected in financial year <paramref name="year"/>, age band and sex (<c>male</c>/<c>female</c>).</summary>
    public double People(int year, string ageBand, string sex) =>
        people.TryGetValue((year, ageBand, sex), out var n) ? n : 0;

    /// <summary>A projection from explicit figures (tests and notebooks): year → age band → sex → people.</summary>
    public static PopulationProjection FromFigures(string name, IEnumerable<(int Year, string AgeBand, string Sex, double People)> figures)
    {
        var projection = new PopulationProjection(name);
        foreach (var f in figures)
        {
            projection.people[(f.Year, f.AgeBand, f.Sex)] = projection.People(f.Year, f.AgeBand, f.Sex) + f.People;
        }

        projection.Years = projection.people.Keys.Select(k => k.Year).Distinct().Order().ToList();
        return projection;
    }

    /// <summary>
    /// Reads <paramref name="files"/> and sums the rows of <paramref name="areas"/> (codes, names, "kent" for the
    /// 12 districts, or "all"; empty = all) into age bands.
    /// </summary>
    /// <exception cref="PipelineException">A file is missing or not in the SNPP layout, or an area is in none of the files.</exception>
    public static PopulationProjection Read(string name, IReadOnlyList<string> files, IReadOnlyList<string> areas)
    {
        var projection = new PopulationProjection(name);
        var wanted = ExpandAreas(areas);
        var matched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var read = new SortedSet<string>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>();
        List<int>? years = null;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new PipelineException($"{file}: population projection file not found.");
            }

            hashes[Path.GetFileName(file)] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
            using var reader = new StreamReader(file);
            var csv = new CsvRecordReader(reader);
            var fields = new List<string?>();
            if (!csv.Read(fields))
            {
                throw new PipelineException($"{file}: empty; expected the ONS SNPP layout (AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then one column per year).");
            }

            var header = fields.Select(f => (f ?? "").Trim().ToUpperInvariant()).ToList();
            int Column(string column) => header.IndexOf(column) is var i and >= 0
                ? i
                : throw new PipelineException($"{file}: line 1: no column {column}; expected the ONS SNPP layout (AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then one column per year).");
            var (code, areaName, sex, age) = (Column("AREA_CODE"), Column("AREA_NAME"), Column("SEX"), Column("AGE_GROUP"));
            var component = header.IndexOf("COMPONENT");
            var yearColumns = header.Select((h, i) => (h, i)).Where(x => x.h.Length == 4 && int.TryParse(x.h, CultureInfo.InvariantCulture, out _))
                .Select(x => (Year: int.Parse(x.h, CultureInfo.InvariantCulture), Index: x.i)).ToList();
            if (yearColumns.Count == 0)
            {
                throw new PipelineException($"{file}: line 1: no year columns (e.g. 2022, 2023, …).");
            }

            years = years is null ? yearColumns.Select(y => y.Year).ToList() : years.Intersect(yearColumns.Select(y => y.Year)).ToList();
            while (csv.Read(fields))
            {
                if (fields.Count != header.Count)
                {
                    throw new PipelineException($"{file}: line {csv.Line}: {fields.Count} fields, the header has {header.Count}.");
                }

                if (component >= 0 && !string.Equals(fields[component], "Population", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var areaCode = fields[code] ?? "";
                var area = fields[areaName] ?? "";
                if (wanted is not null && !wanted.Contains(areaCode) && !wanted.Contains(area))
                {
                    continue;
                }

                matched.Add(areaCode);
                matched.Add(area);
                read.Add($"{areaCode} {area}");
                var ageText = (fields[age] ?? "").Trim();
                if (ageText.Equals("All ages", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var years0 = ParseAge(ageText) ?? throw new PipelineException($"{file}: line {csv.Line}, column AGE_GROUP: '{ageText}' is not an age (0–89, '90 and over' or '90+').");
                var band = AgeBandOf(years0);
                var sexName = ParseSex(fields[sex]) ?? throw new PipelineException($"{file}: line {csv.Line}, column SEX: '{fields[sex]}' is not males or females.");
                foreach (var (year, index) in yearColumns)
                {
                    if (!double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
                    {
                        throw new PipelineException($"{file}: line {csv.Line}, column {year}: '{fields[index]}' is not a number of people.");
                    }

                    projection.people[(year, band, sexName)] = projection.People(year, band, sexName) + n;
                }
            }
        }

        if (wanted is not null)
        {
            var missing = areas.Where(a => !a.Equals("kent", StringComparison.OrdinalIgnoreCase) && !a.Equals("all", StringComparison.OrdinalIgnoreCase) && !matched.Contains(a)).ToList();
            missing.AddRange(wanted.Where(a => KentDistricts.Contains(a) && !matched.Contains(a) && areas.Any(x => x.Equals("kent", StringComparison.OrdinalIgnoreCase))));
            if (missing.Count > 0)
            {
                throw new PipelineException($"Area(s) {string.Join(", ", missing.Distinct())} are in none of the projection files of variant '{name}' ({string.Join(", ", files.Select(Path.GetFileName))}).");
            }
        }

        if (read.Count == 0)
        {
            throw new PipelineException($"The projection files of variant '{name}' hold no population rows for the areas asked for.");
        }

        projection.Years = (years ?? []).Order().ToList();
        projection.AreasRead = read.ToList();
        projection.FileHashes = hashes;
        return projection;
    }

    /// <summary>The age band (of <see cref="Segments.AgeBands"/>) of an age in years.</summary>
    public static string AgeBandOf(int age) => Segments.AgeBands.Last(b => age >= b.From).Label;

    private static HashSet<string>? ExpandAreas(IReadOnlyList<string> areas)
    {
        if (areas.Count == 0 || areas.Any(a => a.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var area in areas)
        {
            if (area.Equals("kent", StringComparison.OrdinalIgnoreCase))
            {
                set.UnionWith(KentDistricts);
            }
            else
            {
                set.Add(area);
            }
        }

        return set;
    }

    private static int? ParseAge(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var age))
        {
            return age;
        }

        var digits = new string(text.TakeWhile(char.IsDigit).ToArray());
        return digits.Length > 0 && (text.EndsWith('+') || text.Contains("and over", StringComparison.OrdinalIgnoreCase))
            ? int.Parse(digits, CultureInfo.InvariantCulture)
            : null;
    }

    private static string? ParseSex(string? text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "males" or "male" or "m" or "1" => "male",
        "females" or "female" or "f" or "2" => "female",
        _ => null,
    };
}
