namespace LinkedDataset.Synthetic;

/// <summary>English given names (ONS baby names) and a frequency-weighted pool of family names.</summary>
internal static class Names
{
    public static readonly string[] Male =
    [
        "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William", "James", "Henry",
        "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander", "Joseph", "Edward", "Samuel", "Max",
        "Daniel", "Arthur", "Lucas", "Mohammed", "Logan", "Theo", "David", "John", "Michael", "Paul", "Andrew", "Peter",
        "Robert", "Richard", "Mark", "Stephen", "Christopher", "Anthony", "Kevin", "Gary", "Ian", "Alan", "Brian", "Keith",
        "Kenneth", "Ronald", "Dennis", "Derek", "Colin", "Graham", "Raymond", "Terence", "Roy", "Stanley", "Leslie", "Frank",
    ];

    public static readonly string[] Female =
    [
        "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily", "Grace", "Sophia",
        "Evie", "Charlotte", "Jessica", "Freya", "Florence", "Ruby", "Sophie", "Chloe", "Hannah", "Lucy", "Emma", "Sarah",
        "Laura", "Rebecca", "Amy", "Rachel", "Claire", "Nicola", "Helen", "Karen", "Julie", "Susan", "Linda", "Elizabeth",
        "Margaret", "Patricia", "Jean", "Barbara", "Mary", "Joan", "Dorothy", "Irene", "Doris", "Joyce", "Sheila", "Brenda",
        "Valerie", "Maureen", "Christine", "Pauline", "Janet", "Ann", "Carol", "Sandra", "Gillian", "Wendy", "Diane", "Priya",
    ];

    /// <summary>The commonest family names in England and Wales, roughly commonest first, and a few Kent ones.</summary>
    private static readonly string[] Common =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson",
        "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel",
        "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
        "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young",
        "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
        "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster",
        "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen",
        "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins",
        "O'Brien", "Dixon", "Fletcher", "Kent", "Fuller", "Goldsmith", "Hammond", "Pilcher", "Wraight", "Hoad", "Austen",
    ];

    // Place-name parts; their joins are surnames of the English toponymic kind. Kent and Medway place
    // names and words the outputs use are left out, so the privacy scan can look for every rare name.
    private static readonly string[] Stems =
    [
        "Ab", "Ald", "Ash", "Ather", "Bark", "Barn", "Bick", "Bing", "Black", "Brad", "Bram", "Brat", "Brook", "Bur", "Cal", "Chat",
        "Chil", "Clay", "Cod", "Cot", "Cran", "Crom", "Dal", "Dun", "Ed", "Ell", "Fair", "Farn", "Fen", "Gar", "Gil", "Glad",
        "Had", "Hal", "Ham", "Har", "Hart", "Hat", "Hay", "Hed", "Hol", "Horn", "Hux", "Kel", "Kim", "Lang", "Lath", "Lind",
        "Lock", "Lov", "Mal", "Mar", "Mel", "Mid", "Mor", "Nash", "Net", "Nor", "Oak", "Ock", "Pem", "Pen", "Pick", "Rad",
        "Rams", "Raw", "Rid", "Rod", "Roth", "Rox", "Sal", "Sel", "Shel", "Shep", "Stan", "Stock", "Sut", "Swin", "Tal", "Thorn",
        "Tod", "Up", "Wad", "Wal", "Wen", "Whit", "Wil", "Wim", "Win", "Wor", "Yar", "Bex", "Cher", "Dray", "Elm", "Gos",
        "Hen", "Ket", "Mow",
    ];

    private static readonly string[] Endings =
    [
        "by", "combe", "croft", "dale", "den", "don", "field", "ford", "ham", "hurst", "ington", "ley", "low", "more", "ridge",
        "sell", "shaw", "stead", "ston", "thorpe", "ton", "well", "wick", "win", "wood", "worth",
    ];

    private static readonly HashSet<string> LeftOut = new(StringComparer.OrdinalIgnoreCase)
    {
        // Kent and Medway places (district names appear in outputs) and plain words.
        "Ashford", "Dartford", "Stanford", "Garden", "Warden", "Ridden", "Hidden", "Mellow", "Hallow", "Tallow", "Pillow", "Window",
        "Hollow", "Harden", "Wooden", "Burden", "Cotton", "Bexley", "Chatham", "Cheriton", "Elmstead",
    };

    // Declared after the lists they are made from: static fields initialise in textual order.
    /// <summary>
    /// Family names, commonest first: the <see cref="Common"/> names, then about 2,400 rarer ones made
    /// from English place-name parts (Ashby, Thornley, Whitcombe). Drawn with <see cref="FamilyCumulative"/>.
    /// </summary>
    public static readonly string[] Family = [.. Common, .. Rare(2_500 - Common.Length)];

    /// <summary>
    /// Running sums of the family names' weights, rank r weighing 1/√r: a long-tailed, frequency-weighted
    /// pool in the shape of England and Wales surname counts (Smith about 1 % of people, the hundred
    /// commonest names about a fifth, most people with a name shared by few). A uniform draw from a
    /// hundred names made a family-name agreement worth about 6.7 bits; here most people's names are
    /// rare enough for an agreement to say much more, as in real data.
    /// </summary>
    public static readonly double[] FamilyCumulative = Cumulative(Family.Length);

    /// <summary>A family name index drawn by frequency from one uniform number in [0, 1) (one draw, like a uniform pick).</summary>
    public static int DrawFamily(double uniform)
    {
        var target = uniform * FamilyCumulative[^1];
        var i = Array.BinarySearch(FamilyCumulative, target);
        return Math.Min(i >= 0 ? i + 1 : ~i, FamilyCumulative.Length - 1);
    }

    /// <summary><paramref name="count"/> rare names, in a fixed scrambled order (rank), none equal to a common or given name.</summary>
    private static string[] Rare(int count)
    {
        var taken = new HashSet<string>(Common.Concat(Male).Concat(Female).Concat(LeftOut), StringComparer.OrdinalIgnoreCase);
        var all = Stems.SelectMany(s => Endings.Select(e => s + e)).Where(n => !taken.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        return all.OrderBy(n => Rng.Mix(Fnv(n))).ThenBy(n => n, StringComparer.Ordinal).Take(count).ToArray();
    }

    private static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in s)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        return h;
    }

    private static double[] Cumulative(int count)
    {
        var sums = new double[count];
        var total = 0.0;
        for (var r = 0; r < count; r++)
        {
            total += 1 / Math.Sqrt(r + 1);
            sums[r] = total;
        }

        return sums;
    }

}
