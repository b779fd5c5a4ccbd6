using System.Globalization;

namespace LinkedDataset.Synthetic;

/// <summary>A provider sending one or more feeds.</summary>
internal sealed record Provider(string Code, string Name);

/// <summary>
/// The places and organisations: postcodes per LSOA, GP practices, trusts, councils. Built once from
/// the reference data and the seed.
/// </summary>
internal sealed class World
{
    public static readonly string[] Trusts = ["RVV", "RWF", "RN7", "RPA"];
    public const string Community = "RYY";
    public const string MentalHealth = "RXY";
    public const string Kent = "886";
    public const string Medway = "887";
    public const string SocialPrescriber = "KSP";

    public required IReadOnlyList<Lsoa> Lsoas { get; init; }
    public required List<string> Postcodes { get; init; }
    public required List<int> PostcodeLsoa { get; init; }
    public required int[][] LsoaPostcodes { get; init; }
    public required string[] Practices { get; init; }
    public required int[] LsoaPractice { get; init; }

    public static int TrustFor(Lsoa l) => l.District switch
    {
        "Canterbury" or "Thanet" or "Dover" or "Folkestone and Hythe" or "Ashford" => 0,
        "Maidstone" or "Tunbridge Wells" or "Tonbridge and Malling" or "Sevenoaks" => 1,
        "Dartford" or "Gravesham" => 2,
        _ => 3, // Medway, Swale
    };

    public string LaFor(Person p) => Lsoas[p.Lsoa].Medway ? Medway : Kent;

    public static World Build(IReadOnlyList<Lsoa> lsoas, int people, ulong seed)
    {
        var rng = Rng.For(seed, 0xB0B);
        var postcodes = new List<string>();
        var postcodeLsoa = new List<int>();
        var lsoaPostcodes = new int[lsoas.Count][];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        const string inwardLetters = "ABDEFGHJLNPQRSTUWXYZ";
        for (var i = 0; i < lsoas.Count; i++)
        {
            var outward = Outward(lsoas[i], ref rng);
            var n = rng.Between(4, 10);
            lsoaPostcodes[i] = new int[n];
            for (var k = 0; k < n; k++)
            {
                string pc;
                do
                {
                    pc = $"{outward} {rng.Between(1, 9)}{inwardLetters[rng.Next(inwardLetters.Length)]}{inwardLetters[rng.Next(inwardLetters.Length)]}";
                }
                while (!seen.Add(pc));

                lsoaPostcodes[i][k] = postcodes.Count;
                postcodes.Add(pc);
                postcodeLsoa.Add(i);
            }
        }

        // Practices: about one per 7,000 people (at least 3), each serving a run of LSOAs in file order (grouped by district).
        var practiceCount = Math.Max(3, (int)Math.Round(people / 7000.0));
        var practices = Enumerable.Range(1, practiceCount).Select(i => "G82" + (i % 1000).ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        var lsoaPractice = new int[lsoas.Count];
        var total = lsoas.Sum(l => (double)l.PopulationByAge.Sum());
        var cumulative = 0.0;
        for (var i = 0; i < lsoas.Count; i++)
        {
            lsoaPractice[i] = Math.Min(practiceCount - 1, (int)(cumulative / total * practiceCount));
            cumulative += lsoas[i].PopulationByAge.Sum();
        }

        return new World
        {
            Lsoas = lsoas,
            Postcodes = postcodes,
            PostcodeLsoa = postcodeLsoa,
            LsoaPostcodes = lsoaPostcodes,
            Practices = practices,
            LsoaPractice = lsoaPractice,
        };
    }

    private static string Outward(Lsoa l, ref Rng rng) => l.District switch
    {
        "Medway" => "ME" + rng.Between(1, 8),
        "Maidstone" => "ME" + rng.Between(14, 17),
        "Swale" => "ME" + rng.Between(9, 13),
        "Canterbury" => "CT" + rng.Pick([1, 2, 3, 4, 5, 6]),
        "Thanet" => "CT" + rng.Between(7, 12),
        "Dover" => "CT" + rng.Pick([13, 14, 15, 16, 17]),
        "Folkestone and Hythe" => "CT" + rng.Pick([18, 19, 20, 21]),
        "Ashford" => "TN" + rng.Pick([23, 24, 25, 26, 27]),
        "Tunbridge Wells" => "TN" + rng.Pick([1, 2, 3, 4, 12, 17, 18]),
        "Tonbridge and Malling" => rng.Chance(0.5) ? "TN" + rng.Pick([9, 10, 11]) : "ME" + rng.Pick([6, 18, 19, 20]),
        "Sevenoaks" => rng.Chance(0.25) ? "BR8" : "TN" + rng.Pick([13, 14, 15, 16]),
        "Dartford" => "DA" + rng.Pick([1, 2, 3, 4, 9, 10]),
        "Gravesham" => "DA" + rng.Pick([11, 12, 13]),
        _ => "ME" + rng.Between(1, 20),
    };
}
