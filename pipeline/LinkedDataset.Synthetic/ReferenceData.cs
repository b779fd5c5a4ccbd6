using System.Globalization;
using LinkedDataset.Pipeline.Common;

namespace LinkedDataset.Synthetic;

/// <summary>One LSOA 2011 of Kent or Medway with its real IMD decile and population by single year of age.</summary>
internal sealed record Lsoa(string Code, string District, bool Medway, int ImdDecile, int[] PopulationByAge);

/// <summary>A SNOMED CT code list from schemas/reference/codelists.</summary>
internal sealed record Codelist(string Name, string[] Codes);

/// <summary>The real reference data the generator draws on (schemas/reference).</summary>
internal sealed class ReferenceData
{
    public required IReadOnlyList<Lsoa> Lsoas { get; init; }
    public required IReadOnlyList<Codelist> Conditions { get; init; }
    public required IReadOnlyList<Codelist> EfiDeficits { get; init; }

    public static ReferenceData Load(string referenceFolder)
    {
        var imdPath = Path.Combine(referenceFolder, "geography", "imd2019_lsoa11_kent_medway.csv");
        var popPath = Path.Combine(referenceFolder, "population", "mid2020_lsoa11_kent_medway_persons_sya.csv");
        var imd = new Dictionary<string, (string District, bool Medway, int Decile)>(StringComparer.Ordinal);
        foreach (var line in ReadLines(imdPath).Skip(1))
        {
            var f = line.Split(',');
            imd[f[0]] = (f[3], f[5] == "Medway", int.Parse(f[8], CultureInfo.InvariantCulture));
        }

        var lsoas = new List<Lsoa>();
        foreach (var line in ReadLines(popPath).Skip(1))
        {
            var f = line.Split(',');
            if (!imd.TryGetValue(f[1], out var g))
            {
                throw new PipelineException($"{popPath}: LSOA {f[1]} has no IMD row in {imdPath}.");
            }

            var ages = f.Skip(3).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            lsoas.Add(new Lsoa(f[1], g.District, g.Medway, g.Decile, ages));
        }

        return new ReferenceData
        {
            Lsoas = lsoas,
            Conditions = Health.ConditionNames.Select(n => LoadCodelist(Path.Combine(referenceFolder, "codelists", "ltc", n + ".snomed.tsv"), n)).ToList(),
            EfiDeficits = Directory.GetFiles(Path.Combine(referenceFolder, "codelists", "efi"), "*.snomed.tsv")
                .Order(StringComparer.Ordinal)
                .Select(p => LoadCodelist(p, Path.GetFileName(p)[4..^".snomed.tsv".Length]))
                .ToList(),
        };
    }

    private static Codelist LoadCodelist(string path, string name) =>
        new(name, ReadLines(path).Select(l => l.Split('\t')[0].Trim()).Where(c => c.Length > 0).ToArray());

    private static IEnumerable<string> ReadLines(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.Length > 0)
            : throw new PipelineException($"Reference file not found: {path}. Is the schemas folder complete?");
}
