namespace LinkedDataset.Synthetic;

/// <summary>Common English given and family names (ONS baby names, surname frequency lists).</summary>
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

    public static readonly string[] Family =
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
}
