using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Marts;

/// <summary>One unit cost row of <c>schemas/reference/unit-costs/unit_costs.csv</c>.</summary>
public sealed record UnitCost(string Item, string Setting, string Unit, decimal CostGbp, string PriceYear, string Source, bool Assumption)
{
    /// <summary><c>unit_cost:&lt;item&gt;</c>, or <c>assumption:&lt;item&gt;</c> when the figure is an assumption.</summary>
    public string Basis => (Assumption ? "assumption:" : "unit_cost:") + Item;
}

/// <summary>
/// The versioned reference data the marts read: unit costs, the inflation index, and the codelists
/// (eFI, long-term conditions, Charlson, palliative care). A version is the folder's <c>VERSION</c>
/// text plus a short hash of its files, so an edited list without a bumped version still shows.
/// </summary>
public sealed class MartReference
{
    private MartReference(string root) => Root = root;

    public string Root { get; }

    public IReadOnlyList<UnitCost> UnitCosts { get; private init; } = [];

    /// <summary>Price year → index (any base), from <c>inflation_index.csv</c>.</summary>
    public IReadOnlyDictionary<string, decimal> InflationIndex { get; private init; } = new Dictionary<string, decimal>();

    public string UnitCostVersion { get; private init; } = "";

    public string EfiVersion { get; private init; } = "";

    public string LtcVersion { get; private init; } = "";

    public string CharlsonVersion { get; private init; } = "";

    public string PalliativeVersion { get; private init; } = "";

    public string CodelistFolder(string name) => Path.Combine(Root, "codelists", name);

    /// <summary>Loads from <paramref name="referenceRoot"/> (default: the shipped <c>schemas/reference</c>).</summary>
    public static MartReference Load(string? referenceRoot = null)
    {
        var root = referenceRoot ?? ProjectPaths.Reference;
        var costs = Path.Combine(root, "unit-costs");
        return new MartReference(root)
        {
            UnitCosts = ReadUnitCosts(Path.Combine(costs, "unit_costs.csv")),
            InflationIndex = ReadIndex(Path.Combine(costs, "inflation_index.csv")),
            UnitCostVersion = Version(costs, "unit_costs.csv", "inflation_index.csv"),
            EfiVersion = Version(Path.Combine(root, "codelists", "efi"), "*.snomed.tsv", "polypharmacy-proxy.csv"),
            LtcVersion = Version(Path.Combine(root, "codelists", "ltc"), "*.snomed.tsv"),
            CharlsonVersion = Version(Path.Combine(root, "codelists", "charlson"), "*.tsv"),
            PalliativeVersion = Version(Path.Combine(root, "codelists", "palliative"), "*.tsv"),
        };
    }

    public UnitCost Cost(string item) => UnitCosts.FirstOrDefault(c => c.Item == item)
        ?? throw new PipelineException($"Unit cost '{item}' is missing from {Path.Combine(Root, "unit-costs", "unit_costs.csv")}; the costing rules need it.");

    /// <summary>Factor that restates a cost from <paramref name="from"/> prices to <paramref name="to"/> prices (1 when <paramref name="to"/> is null).</summary>
    public decimal Restate(string from, string? to)
    {
        if (to is null || to == from)
        {
            return 1m;
        }

        if (!InflationIndex.TryGetValue(from, out var a) || !InflationIndex.TryGetValue(to, out var b))
        {
            throw new PipelineException($"No inflation index for price year '{(InflationIndex.ContainsKey(from) ? to : from)}'; inflation_index.csv has {string.Join(", ", InflationIndex.Keys)}.");
        }

        return b / a;
    }

    /// <summary>
    /// Loads the reference tables into DuckDB: <c>ref_unit_cost(item, cost, basis, price_year)</c> (restated to
    /// <paramref name="priceYear"/> when given), <c>ref_efi(code, deficit)</c>, <c>ref_ltc(code, condition)</c>,
    /// <c>ref_polypharmacy(condition, medications)</c>, <c>ref_charlson(prefix, condition, weight)</c>,
    /// <c>ref_palliative(code)</c>.
    /// </summary>
    public void LoadInto(DuckDBConnection db, string? priceYear)
    {
        var rows = string.Join(",\n", UnitCosts.Select(c =>
            $"({Sql.Literal(c.Item)}, {(c.CostGbp * Restate(c.PriceYear, priceYear)).ToString(CultureInfo.InvariantCulture)}, {Sql.Literal(c.Basis)}, {Sql.Literal(priceYear ?? c.PriceYear)})"));
        var codelists = Path.Combine(Root, "codelists");
        DuckDb.Execute(db, $"""
            CREATE OR REPLACE TABLE ref_unit_cost (item VARCHAR, cost DOUBLE, basis VARCHAR, price_year VARCHAR);
            INSERT INTO ref_unit_cost VALUES {rows};
            CREATE OR REPLACE TABLE ref_efi (code VARCHAR, deficit VARCHAR);
            CREATE OR REPLACE TABLE ref_ltc (code VARCHAR, condition VARCHAR);
            CREATE OR REPLACE TABLE ref_charlson (prefix VARCHAR, condition VARCHAR, weight INTEGER);
            CREATE OR REPLACE TABLE ref_palliative (code VARCHAR);
            CREATE OR REPLACE TABLE ref_polypharmacy AS
              SELECT ltc_codelist AS condition, CAST(typical_repeat_medications AS INTEGER) AS medications
              FROM read_csv({Sql.Path(Path.Combine(codelists, "efi", "polypharmacy-proxy.csv"))}, header = true, all_varchar = true);
            """);
        AppendCodelists(db, "ref_efi", Path.Combine(codelists, "efi"), "*.snomed.tsv", name => name["efi-".Length..^".snomed.tsv".Length]);
        AppendCodelists(db, "ref_ltc", Path.Combine(codelists, "ltc"), "*.snomed.tsv", name => name[..^".snomed.tsv".Length]);
        AppendCodelists(db, "ref_palliative", Path.Combine(codelists, "palliative"), "*.snomed.tsv", null);
        using (var appender = db.CreateAppender("ref_charlson"))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(codelists, "charlson"), "*.icd10.tsv").Order(StringComparer.Ordinal))
            {
                foreach (var f in File.ReadLines(file).Where(l => l.Length > 0).Select(l => l.Split('\t')))
                {
                    appender.CreateRow().AppendValue(f[0].Trim().ToUpperInvariant()).AppendValue(f[1].Trim())
                        .AppendValue(int.Parse(f[2], CultureInfo.InvariantCulture)).EndRow();
                }
            }
        }

        var deficits = DuckDb.Scalar<long>(db, "SELECT count(DISTINCT deficit) FROM ref_efi");
        if (deficits != 35)
        {
            throw new PipelineException($"The eFI needs 35 coded deficits (the 36th is polypharmacy) but {Path.Combine(codelists, "efi")} has {deficits}.");
        }
    }

    /// <summary>Appends the codes (first tab-separated field) of each matching file, with the list's name from the file name.</summary>
    private static void AppendCodelists(DuckDBConnection db, string table, string folder, string pattern, Func<string, string>? name)
    {
        using var appender = db.CreateAppender(table);
        foreach (var file in Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal))
        {
            var list = name?.Invoke(Path.GetFileName(file));
            foreach (var code in File.ReadLines(file).Select(l => l.Split('\t')[0].Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal))
            {
                var row = appender.CreateRow().AppendValue(code);
                (list is null ? row : row.AppendValue(list)).EndRow();
            }
        }
    }

    private static List<UnitCost> ReadUnitCosts(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"Unit cost file not found: {path}.");
        }

        var lines = ReadCsv(path);
        var header = lines[0];
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new PipelineException($"{path}: column '{name}' is missing.");
        var (item, setting, unit, cost, year, source, assumption) =
            (Col("item"), Col("setting"), Col("unit"), Col("cost_gbp"), Col("price_year"), Col("source"), Col("assumption"));
        return lines.Skip(1).Select(f => new UnitCost(
            f[item], f[setting], f[unit], decimal.Parse(f[cost], CultureInfo.InvariantCulture), f[year], f[source], f[assumption] == "Y")).ToList();
    }

    private static Dictionary<string, decimal> ReadIndex(string path)
    {
        var lines = ReadCsv(path);
        var header = lines[0];
        var (year, index) = (Array.IndexOf(header, "price_year"), Array.IndexOf(header, "index"));
        return lines.Skip(1).ToDictionary(f => f[year], f => decimal.Parse(f[index], CultureInfo.InvariantCulture));
    }

    private static List<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string?>();
        var rows = new List<string[]>();
        while (csv.Read(fields))
        {
            rows.Add(fields.Select(f => f ?? "").ToArray());
        }

        return rows.Count > 0 ? rows : throw new PipelineException($"{path} is empty.");
    }

    /// <summary><c>VERSION</c> text + "+" + 8 hex of SHA-256 over the matching files (name and bytes, in name order).</summary>
    public static string Version(string folder, params string[] patterns)
    {
        if (!Directory.Exists(folder))
        {
            throw new PipelineException($"Reference folder not found: {folder}.");
        }

        var declared = File.Exists(Path.Combine(folder, "VERSION")) ? File.ReadAllText(Path.Combine(folder, "VERSION")).Trim() : "unversioned";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in patterns.SelectMany(p => Directory.GetFiles(folder, p)).Distinct().Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return declared + "+" + Convert.ToHexStringLower(hash.GetHashAndReset())[..8];
    }
}
