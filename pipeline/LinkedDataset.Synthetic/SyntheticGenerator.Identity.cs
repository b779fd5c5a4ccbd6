using System.Globalization;

namespace LinkedDataset.Synthetic;

public static partial class SyntheticGenerator
{
    /// <summary>The identity of one extract row as written, after faults.</summary>
    private sealed class RowIdentity
    {
        public required string Given { get; set; }
        public required string Family { get; set; }
        public required string DateOfBirth { get; set; }
        public required string Postcode { get; set; }
    }

    private sealed partial class Run
    {
        private static readonly int[] ThirtyDayMonths = [4, 6, 9, 11];

        private static readonly Dictionary<string, string> Nicknames = new(StringComparer.Ordinal)
        {
            ["William"] = "Bill", ["Robert"] = "Bob", ["Richard"] = "Dick", ["Thomas"] = "Tom", ["James"] = "Jim", ["Michael"] = "Mike",
            ["Christopher"] = "Chris", ["Anthony"] = "Tony", ["Edward"] = "Ted", ["Alexander"] = "Alex", ["Joseph"] = "Joe", ["Daniel"] = "Dan",
            ["Samuel"] = "Sam", ["Kenneth"] = "Ken", ["Ronald"] = "Ron", ["Stephen"] = "Steve", ["Andrew"] = "Andy", ["Peter"] = "Pete",
            ["Frederick"] = "Fred", ["Terence"] = "Terry", ["Raymond"] = "Ray", ["Leslie"] = "Les", ["Dennis"] = "Den",
            ["Elizabeth"] = "Liz", ["Margaret"] = "Maggie", ["Patricia"] = "Pat", ["Rebecca"] = "Becky", ["Jessica"] = "Jess",
            ["Charlotte"] = "Lottie", ["Susan"] = "Sue", ["Christine"] = "Chris", ["Isabella"] = "Bella", ["Barbara"] = "Babs",
            ["Dorothy"] = "Dot", ["Gillian"] = "Jill", ["Valerie"] = "Val", ["Sandra"] = "Sandy", ["Pauline"] = "Polly", ["Jean"] = "Jeanie",
        };

        /// <summary>
        /// The identity faults beyond the classic ones (issue 11), each at its own rate, then — for a
        /// record with no usable NHS number, at <see cref="FaultRates.MultipleFieldsWithoutNhs"/> — two
        /// or three of the four identity fields (given name, family name, date of birth, postcode)
        /// corrupted at once, as record-linkage test generators do. Every fault is logged by kind.
        /// </summary>
        private void CorruptIdentity(RowIdentity id, Person p, bool withoutNhs, string feed, string provider, string recordId)
        {
            var f = _o.Faults;
            if (_faultRng.Chance(f.NameSwap))
            {
                (id.Given, id.Family) = (id.Family, id.Given);
                Fault(feed, provider, recordId, "names_swapped");
            }

            if (_faultRng.Chance(f.TypoBothNames))
            {
                id.Given = Typo(id.Given);
                id.Family = Typo(id.Family);
                Fault(feed, provider, recordId, "given_typo");
                Fault(feed, provider, recordId, "family_typo");
            }

            if (_faultRng.Chance(f.Nickname) && Nicknames.TryGetValue(id.Given, out var nickname))
            {
                id.Given = nickname;
                Fault(feed, provider, recordId, "given_nickname");
            }

            if (_faultRng.Chance(f.MissingGivenName))
            {
                id.Given = "";
                Fault(feed, provider, recordId, "given_missing");
            }

            if (_faultRng.Chance(f.ImpossibleDob))
            {
                id.DateOfBirth = ImpossibleDate(p.DateOfBirth);
                Fault(feed, provider, recordId, "dob_impossible");
            }

            if (!withoutNhs || !_faultRng.Chance(f.MultipleFieldsWithoutNhs))
            {
                return;
            }

            // Two or three distinct fields, each with one of its usual corruptions.
            var fields = new List<int> { 0, 1, 2, 3 };
            var count = _faultRng.Chance(0.25) ? 3 : 2;
            for (var k = 0; k < count; k++)
            {
                var field = fields[_faultRng.Next(fields.Count)];
                fields.Remove(field);
                switch (field)
                {
                    case 0:
                        CorruptGiven(id, feed, provider, recordId);
                        break;
                    case 1:
                        id.Family = Typo(id.Family);
                        Fault(feed, provider, recordId, "family_typo");
                        break;
                    case 2:
                        CorruptDateOfBirth(id, p.DateOfBirth, feed, provider, recordId);
                        break;
                    default:
                        var moved = _world.Postcodes[_faultRng.Next(_world.Postcodes.Count)];
                        id.Postcode = _faultRng.Chance(0.2) ? "" : moved;
                        Fault(feed, provider, recordId, id.Postcode.Length == 0 ? "postcode_missing" : "postcode_changed");
                        break;
                }
            }
        }

        private void CorruptGiven(RowIdentity id, string feed, string provider, string recordId)
        {
            var choice = _faultRng.Next(4);
            if (choice == 0 && Nicknames.TryGetValue(id.Given, out var nickname))
            {
                id.Given = nickname;
                Fault(feed, provider, recordId, "given_nickname");
            }
            else if (choice == 1)
            {
                id.Given = "";
                Fault(feed, provider, recordId, "given_missing");
            }
            else
            {
                id.Given = Typo(id.Given);
                Fault(feed, provider, recordId, "given_typo");
            }
        }

        private void CorruptDateOfBirth(RowIdentity id, DateOnly dob, string feed, string provider, string recordId)
        {
            var choice = _faultRng.Next(3);
            if (choice == 0 && dob.Day <= 12 && dob.Day != dob.Month)
            {
                id.DateOfBirth = Csv.Date(new DateOnly(dob.Year, dob.Day, dob.Month));
                Fault(feed, provider, recordId, "dob_day_month_transposed");
            }
            else if (choice == 1)
            {
                id.DateOfBirth = ImpossibleDate(dob);
                Fault(feed, provider, recordId, "dob_impossible");
            }
            else
            {
                id.DateOfBirth = Csv.Date(dob.AddYears(_faultRng.Chance(0.5) ? 1 : -1));
                Fault(feed, provider, recordId, "dob_year_changed");
            }
        }

        /// <summary>A well-shaped date that does not exist, in the person's birth year (e.g. 1956-02-31).</summary>
        private string ImpossibleDate(DateOnly dob) => _faultRng.Next(3) switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"{dob.Year:D4}-02-{30 + _faultRng.Next(2)}"),
            1 => string.Create(CultureInfo.InvariantCulture, $"{dob.Year:D4}-{ThirtyDayMonths[_faultRng.Next(4)]:D2}-31"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{dob.Year:D4}-{dob.Month + 12:D2}-{dob.Day:D2}"), // month 13-24
        };
    }
}
