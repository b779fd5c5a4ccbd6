using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Synthetic;
using Xunit;

namespace LinkedDataset.Tests.Unit.Synthetic;

/// <summary>Small runs (2,000 people x 3 months) generated once and shared by the tests below.</summary>
public sealed class SmallRuns : IDisposable
{
    public SmallRuns()
    {
        Root = Path.Combine(Path.GetTempPath(), "ldp-synth-tests-" + Guid.NewGuid().ToString("N"));
        Schemas = Path.Combine(RepoPaths.Root, "schemas");
        First = Run("first", seed: 11, FaultRates.Default);
        Second = Run("second", seed: 11, FaultRates.Default);
        OtherSeed = Run("other", seed: 12, FaultRates.Default);
        Clean = Run("clean", seed: 11, FaultRates.None);
    }

    public string Root { get; }
    public string Schemas { get; }
    public SyntheticResult First { get; }
    public SyntheticResult Second { get; }
    public SyntheticResult OtherSeed { get; }
    public SyntheticResult Clean { get; }

    private SyntheticResult Run(string name, ulong seed, FaultRates faults) =>
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 2_000,
            Seed = seed,
            Months = 3,
            OutputFolder = Path.Combine(Root, name),
            Faults = faults,
            SchemasFolder = Schemas,
        });

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

public sealed class SyntheticGeneratorTests(SmallRuns runs) : IClassFixture<SmallRuns>
{
    private static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal);

    private static List<string[]> ReadCsv(string path)
    {
        // The generator quotes only fields with commas (secondary diagnoses); a minimal reader is enough here.
        var rows = new List<string[]>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = new List<string>();
            var current = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                    else if (c == '"') { quoted = false; }
                    else { current.Append(c); }
                }
                else if (c == '"') { quoted = true; }
                else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
                else { current.Append(c); }
            }

            fields.Add(current.ToString());
            rows.Add(fields.ToArray());
        }

        return rows;
    }

    private IEnumerable<(string Feed, string Path)> Extracts(SyntheticResult r) =>
        FeedSchemaLoader.FeedNames.SelectMany(f => Directory.GetFiles(Path.Combine(r.OutputFolder, f), "*.csv").Order(StringComparer.Ordinal).Select(p => (f, p)));

    [Fact]
    public void Generate_IsByteIdentical_ForSameSeed()
    {
        var a = runs.First.OutputFolder;
        var b = runs.Second.OutputFolder;
        Files(a).Should().Equal(Files(b));
        foreach (var file in Files(a))
        {
            File.ReadAllBytes(Path.Combine(a, file)).Should().Equal(File.ReadAllBytes(Path.Combine(b, file)), file);
        }
    }

    [Fact]
    public void Generate_Differs_ForDifferentSeed()
    {
        var a = File.ReadAllBytes(Path.Combine(runs.First.TruthFolder, "people.csv"));
        var c = File.ReadAllBytes(Path.Combine(runs.OtherSeed.TruthFolder, "people.csv"));
        a.Should().NotEqual(c);
    }

    [Fact]
    public void Generate_WritesOneFilePerProviderPerMonth_NamedFeedProviderMonth()
    {
        foreach (var feed in FeedSchemaLoader.FeedNames)
        {
            var names = Directory.GetFiles(Path.Combine(runs.First.OutputFolder, feed)).Select(Path.GetFileName).ToList();
            names.Should().NotBeEmpty(feed);
            names.Should().AllSatisfy(n => n.Should().MatchRegex($"^{feed}_[A-Z0-9]+_20(25|26)-(0[1-9]|1[0-2])\\.csv$"));
        }

        Directory.GetFiles(Path.Combine(runs.First.OutputFolder, "pmi")).Should().Contain(f => f.EndsWith("_2026-01.csv"));
        Directory.GetFiles(Path.Combine(runs.First.OutputFolder, "pmi")).Should().Contain(f => f.EndsWith("_2026-03.csv"));
    }

    [Fact]
    public void EveryTruthNhsNumber_IsValidModulus11_InThe999Range_AndUnique()
    {
        var people = ReadCsv(Path.Combine(runs.First.TruthFolder, "people.csv")).Skip(1).Select(r => r[1]).ToList();
        people.Should().HaveCountGreaterThan(2_000);
        people.Should().OnlyHaveUniqueItems();
        people.Should().AllSatisfy(n =>
        {
            n.Should().StartWith("999").And.HaveLength(10);
            NhsNumbers.IsValid(n).Should().BeTrue(n);
        });
    }

    [Theory]
    [InlineData("9434765919", true)]   // worked example: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9
    [InlineData("9434765918", false)]
    [InlineData("943 476 5919", true)]
    [InlineData("943476591", false)]
    public void NhsNumbers_IsValid_ChecksModulus11(string number, bool valid) =>
        NhsNumbers.IsValid(number).Should().Be(valid);

    [Fact]
    public void EveryExtract_HasExactlyItsSchemaColumns_InSchemaOrder()
    {
        var schemas = FeedSchemaLoader.LoadAll(Path.Combine(runs.Schemas, "feeds"));
        foreach (var (feed, path) in Extracts(runs.First))
        {
            var expected = schemas[feed].Columns.Select(c => c.Name).ToArray();
            var rows = ReadCsv(path);
            rows[0].Should().Equal(expected, path);
            foreach (var row in rows.Skip(1))
            {
                row.Should().HaveCount(expected.Length, path);
            }
        }
    }

    [Fact]
    public void EveryExtract_FillsRequiredColumns_AndUsesDeclaredCodes()
    {
        var schemas = FeedSchemaLoader.LoadAll(Path.Combine(runs.Schemas, "feeds"));
        foreach (var (feed, path) in Extracts(runs.Clean))
        {
            var columns = schemas[feed].Columns;
            foreach (var row in ReadCsv(path).Skip(1))
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    if (columns[i].Required)
                    {
                        row[i].Should().NotBeEmpty($"{feed}.{columns[i].Name} is required");
                    }

                    if (columns[i].Codes is { } codes && row[i].Length > 0)
                    {
                        codes.Keys.Should().Contain(row[i], $"{feed}.{columns[i].Name}");
                    }
                }
            }
        }
    }

    [Fact]
    public void EveryExtractRecord_AppearsExactlyOnceInTruth()
    {
        var truth = ReadCsv(Path.Combine(runs.First.TruthFolder, "records.csv")).Skip(1).Select(r => (r[0], r[1], r[2])).ToList();
        truth.Should().OnlyHaveUniqueItems();
        var known = truth.ToHashSet();
        var schemas = FeedSchemaLoader.LoadAll(Path.Combine(runs.Schemas, "feeds"));
        foreach (var (feed, path) in Extracts(runs.First))
        {
            var rows = ReadCsv(path);
            var id = Array.IndexOf(rows[0], schemas[feed].RecordId);
            var provider = Array.IndexOf(rows[0], "provider_code");
            foreach (var row in rows.Skip(1))
            {
                known.Should().Contain((feed, row[provider], row[id]));
            }
        }
    }

    [Fact]
    public void NoTruthColumn_AppearsInAnyExtract()
    {
        foreach (var (_, path) in Extracts(runs.First))
        {
            var header = File.ReadLines(path).First().Split(',');
            header.Should().NotContain(["person_key", "lsoa11cd", "imd_decile", "conditions", "frailty"]);
        }
    }

    [Fact]
    public void WithNoFaults_FaultLogIsEmpty_AndNoRowIsDuplicated()
    {
        File.ReadAllLines(Path.Combine(runs.Clean.TruthFolder, "faults.csv")).Should().Equal("feed,provider_code,record_id,fault");
        runs.Clean.FaultsLogged.Should().Be(0);
        runs.First.FaultsLogged.Should().BeGreaterThan(0);
    }

    [Fact]
    public void WithDefaultFaults_LogsEachKind()
    {
        var kinds = ReadCsv(Path.Combine(runs.First.TruthFolder, "faults.csv")).Skip(1).Select(r => r[3]).Distinct().ToList();
        kinds.Should().Contain(["missing_nhs_number", "name_typo", "postcode_changed", "late_arrival"]);
    }

    [Fact]
    public void PostcodeLookup_MapsEveryTruthPostcodeAreaToKentOrMedway()
    {
        var lookup = ReadCsv(Path.Combine(runs.First.OutputFolder, "_reference", "postcode_lsoa.csv")).Skip(1).ToList();
        lookup.Should().NotBeEmpty();
        lookup.Select(r => r[0]).Should().OnlyHaveUniqueItems();
        lookup.Should().AllSatisfy(r =>
        {
            r[0].Should().MatchRegex("^(ME|CT|TN|DA|BR)[0-9]{1,2} [0-9][A-Z]{2}$");
            r[1].Should().StartWith("E01");
        });
    }

    [Fact]
    public void Result_ReportsRatesNextToTargets()
    {
        runs.First.Rates.Should().Contain(r => r.Measure == "ae_attendances" && r.Target == 450);
        runs.First.RowsPerFeed.Keys.Should().BeEquivalentTo(FeedSchemaLoader.FeedNames);
        runs.First.RowsPerFeed["pmi"].Should().BeGreaterThan(2_000);
    }
}
