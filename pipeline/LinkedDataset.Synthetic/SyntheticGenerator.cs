using System.Diagnostics;
using System.Globalization;
using System.Text;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;

namespace LinkedDataset.Synthetic;

/// <summary>
/// Generates a synthetic Kent population and its monthly provider extracts (identifiable form), with
/// the truth behind them kept apart. Single-threaded and seeded per person-month, so the same
/// options give byte-identical output.
/// </summary>
public static partial class SyntheticGenerator
{
    /// <summary>Generates the population, the extracts, the postcode lookup and the truth files.</summary>
    public static SyntheticResult Generate(SyntheticOptions options, IProgress<SyntheticProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var run = new Run(options, progress, ct);
        return run.Execute();
    }

    private enum Feed
    {
        Pmi, GpEvent, Apc, Ae, Op, Community, MentalHealth, SocialCare, Telecare, Intervention,
    }

    private sealed partial class Run
    {
        private readonly SyntheticOptions _o;
        private readonly IProgress<SyntheticProgress>? _progress;
        private readonly CancellationToken _ct;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<Person> _people = [];
        private readonly double[] _useNormaliser = new double[7];
        private readonly long[] _serviceCounts = new long[7];
        private readonly long[] _idCounters = new long[10];
        private readonly string _schemas;
        private ReferenceData _ref = null!;
        private World _world = null!;
        private FeedLayout[] _layouts = null!;
        private FeedRow[] _rows = null!;
        private ExtractSink _sink = null!;
        private StreamWriter _records = null!;
        private StreamWriter _faults = null!;
        private NhsNumbers.Allocator _nhs = null!;
        private Rng _faultRng;
        private long _faultCount;
        private long _householdCounter;
        private long _uprnCounter;
        private double _personMonths;
        private double _referralNormaliser = 1;
        private readonly Dictionary<string, int> _deficitIndex = new(StringComparer.Ordinal);
        private int _referrals, _starts, _telecareCalls, _conveyed;
        private readonly StringBuilder _line = new(512);

        public Run(SyntheticOptions options, IProgress<SyntheticProgress>? progress, CancellationToken ct)
        {
            _o = options;
            _progress = progress;
            _ct = ct;
            _schemas = options.SchemasFolder ?? ProjectPaths.SchemasRoot;
        }

        private DateOnly Start => _o.StartMonth;

        private DateOnly MonthStart(int m) => Start.AddMonths(m);

        private DateOnly MonthEnd(int m) => Start.AddMonths(m + 1).AddDays(-1);

        private DateOnly WindowEnd => MonthEnd(_o.Months - 1);

        public SyntheticResult Execute()
        {
            var schemas = FeedSchemaLoader.LoadAll(Path.Combine(_schemas, "feeds"));
            _layouts = FeedSchemaLoader.FeedNames.Select((f, i) => new FeedLayout(i, schemas[f])).ToArray();
            _rows = _layouts.Select(l => new FeedRow(l)).ToArray();
            _ref = ReferenceData.Load(Path.Combine(_schemas, "reference"));
            for (var i = 0; i < _ref.EfiDeficits.Count; i++)
            {
                _deficitIndex[_ref.EfiDeficits[i].Name] = i;
            }

            _world = World.Build(_ref.Lsoas, _o.People, _o.Seed);
            _nhs = new NhsNumbers.Allocator(_o.Seed);
            _faultRng = Rng.For(_o.Seed, 0xFA17);

            var truth = _o.ResolvedTruthFolder;
            if (Directory.Exists(_o.OutputFolder))
            {
                foreach (var feed in FeedSchemaLoader.FeedNames.Append("_reference"))
                {
                    var dir = Path.Combine(_o.OutputFolder, feed);
                    if (Directory.Exists(dir))
                    {
                        Directory.Delete(dir, recursive: true);
                    }
                }
            }

            Directory.CreateDirectory(truth);
            WritePostcodeLookup();
            BuildInitialPopulation();

            string[] practices = _world.Practices, trusts = World.Trusts, las = [World.Kent, World.Medway];
            var providers = new[] { practices, practices, trusts, trusts, trusts, [World.Community], [World.MentalHealth], las, las, [World.SocialPrescriber] };
            using (_sink = new ExtractSink(_o.OutputFolder, _layouts, providers, Start, _o.Months))
            using (_records = Csv.Create(Path.Combine(truth, "records.csv"), "feed,provider_code,record_id,person_key,activity_date"))
            using (_faults = Csv.Create(Path.Combine(truth, "faults.csv"), "feed,provider_code,record_id,fault"))
            {
                for (var m = 0; m < _o.Months; m++)
                {
                    _ct.ThrowIfCancellationRequested();
                    _sink.BeginMonth(m);
                    if (m == 0)
                    {
                        Backload();
                    }

                    SimulateMonth(m);
                    _sink.EndMonth();
                    _progress?.Report(new SyntheticProgress("month", m + 1, _o.Months, _sink.RowsPerFeed.Sum()));
                }
            }

            WritePeople(Path.Combine(truth, "people.csv"));
            var rates = Rates();
            WriteEffects(Path.Combine(truth, "effects.json"), rates);
            var elapsed = _clock.Elapsed;
            return new SyntheticResult(
                _o.People,
                _people.Count,
                FeedSchemaLoader.FeedNames.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => _sink.RowsPerFeed[x.i]),
                _sink.FilesWritten + 4,
                rates,
                _faultCount,
                _personMonths / 12,
                elapsed,
                (double)_o.People * _o.Months / Math.Max(1e-9, elapsed.TotalSeconds),
                _o.OutputFolder,
                truth);
        }

        // ---------------------------------------------------------------- emitting rows

        private FeedRow Row(Feed f)
        {
            var r = _rows[(int)f];
            r.Clear();
            return r;
        }

        private string NextId(Feed f, string prefix)
        {
            var n = ++_idCounters[(int)f];
            return prefix + n.ToString("D9", CultureInfo.InvariantCulture);
        }

        private static readonly double[] NhsFaultScale = [0, 0.1, 1, 1, 1, 1, 3, 4, 4, 3];
        private static readonly bool[] CarriesUprn = [true, true, false, false, false, true, false, true, true, false];

        /// <summary>
        /// Fills identity, applies faults, writes the row to the extract of its month (or a later one
        /// when late) and, for a first sending, the truth record.
        /// </summary>
        private void Commit(FeedRow r, string provider, string recordId, Person p, DateOnly activity, int month, bool firstSending = true, bool backload = false)
        {
            var l = r.Layout;
            var v = r.Values;
            var feed = l.Feed;
            v[l.ProviderCode] = provider;
            v[l.RecordId] = recordId;
            var f = _o.Faults;
            var fi = l.FeedIndex;

            // Identity, with faults.
            var nhs = p.NhsNumber.ToString(CultureInfo.InvariantCulture);
            var withoutNhs = true;
            if (_faultRng.Chance(f.MissingNhsNumber * NhsFaultScale[fi]))
            {
                nhs = "";
                Fault(feed, provider, recordId, "missing_nhs_number");
            }
            else if (_faultRng.Chance(f.InvalidNhsNumber * NhsFaultScale[fi]))
            {
                nhs = InvalidNhs(nhs);
                Fault(feed, provider, recordId, "invalid_nhs_number");
            }
            else
            {
                withoutNhs = false;
                if (_faultRng.Chance(0.3))
                {
                    nhs = $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}";
                }
            }

            var given = p.Sex == 2 ? Names.Female[p.Given] : Names.Male[p.Given];
            var family = Names.Family[p.Family];
            if (_faultRng.Chance(f.NameTypo))
            {
                if (_faultRng.Chance(0.5))
                {
                    given = Typo(given);
                }
                else
                {
                    family = Typo(family);
                }

                Fault(feed, provider, recordId, "name_typo");
            }

            var dob = p.DateOfBirth;
            if (dob.Day <= 12 && dob.Day != dob.Month && _faultRng.Chance(f.DobTransposed))
            {
                dob = new DateOnly(dob.Year, dob.Day, dob.Month);
                Fault(feed, provider, recordId, "dob_day_month_transposed");
            }

            var postcode = _world.Postcodes[p.Postcode];
            if (_faultRng.Chance(f.PostcodeChanged))
            {
                postcode = _world.Postcodes[_faultRng.Next(_world.Postcodes.Count)];
                Fault(feed, provider, recordId, "postcode_changed");
            }

            var id = new RowIdentity { Given = given, Family = family, DateOfBirth = Csv.Date(dob), Postcode = postcode };
            CorruptIdentity(id, p, withoutNhs, feed, provider, recordId);
            (given, family, postcode) = (id.Given, id.Family, id.Postcode);
            v[l.Nhs] = nhs;
            v[l.Given] = fi == (int)Feed.Ae && _faultRng.Chance(0.5) ? given.ToUpperInvariant() : given;
            v[l.Family] = fi == (int)Feed.Ae ? family.ToUpperInvariant() : family;
            v[l.Dob] = id.DateOfBirth;
            v[l.Sex] = p.Sex == 1 ? "1" : "2";
            v[l.Postcode] = fi is (int)Feed.SocialCare && _faultRng.Chance(0.3) ? postcode.Replace(" ", "") : postcode;
            v[l.Uprn] = CarriesUprn[fi] ? p.Uprn.ToString(CultureInfo.InvariantCulture) : null;

            _line.Clear();
            for (var i = 0; i < v.Length; i++)
            {
                if (i > 0)
                {
                    _line.Append(',');
                }

                Csv.AppendField(_line, v[i]);
            }

            var line = _line.ToString();
            var target = month;
            if (!backload && _faultRng.Chance(f.LateArrival))
            {
                var late = month + _faultRng.Between(1, 2);
                if (late < _o.Months)
                {
                    target = late;
                    Fault(feed, provider, recordId, "late_arrival");
                }
            }

            _sink.Write(fi, provider, target, line);
            if (_faultRng.Chance(f.DuplicateRow))
            {
                _sink.Write(fi, provider, target, line);
                Fault(feed, provider, recordId, "duplicate_row");
            }

            if (firstSending)
            {
                _records.Write(feed);
                _records.Write(',');
                _records.Write(provider);
                _records.Write(',');
                _records.Write(recordId);
                _records.Write(',');
                _records.Write(p.Key.ToString(CultureInfo.InvariantCulture));
                _records.Write(',');
                _records.Write(Csv.Date(activity));
                _records.Write('\n');
            }
        }

        private void Fault(string feed, string provider, string recordId, string kind)
        {
            _faultCount++;
            _faults.Write($"{feed},{provider},{recordId},{kind}\n");
        }

        private string InvalidNhs(string nhs)
        {
            switch (_faultRng.Next(3))
            {
                case 0:
                    return nhs[..9];
                case 1:
                    return "0000000000";
                default:
                    var check = (nhs[9] - '0' + 1 + _faultRng.Next(8)) % 10;
                    return nhs[..9] + (char)('0' + check);
            }
        }

        private string Typo(string name)
        {
            if (name.Length == 0)
            {
                return name;
            }

            if (name.Length < 3)
            {
                return name + name[^1];
            }

            var i = 1 + _faultRng.Next(name.Length - 2);
            var chars = name.ToCharArray();
            switch (_faultRng.Next(3))
            {
                case 0:
                    (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                    var swapped = new string(chars);
                    return swapped == name ? name.Remove(i, 1) : swapped;
                case 1:
                    return name.Remove(i, 1);
                default:
                    return name.Insert(i, name[i].ToString());
            }
        }

        // ---------------------------------------------------------------- reference and truth files

        private void WritePostcodeLookup()
        {
            using var w = Csv.Create(Path.Combine(_o.OutputFolder, "_reference", "postcode_lsoa.csv"), "postcode,lsoa11cd");
            for (var i = 0; i < _world.Postcodes.Count; i++)
            {
                w.Write($"{_world.Postcodes[i]},{_world.Lsoas[_world.PostcodeLsoa[i]].Code}\n");
            }
        }

        private void WritePeople(string path)
        {
            using var w = Csv.Create(path,
                "person_key,nhs_number,given_name,family_name,date_of_birth,sex,lsoa11cd,imd_decile,practice,uprn,household,care_home,conditions,efi_deficits,efi,frailty,origin,date_of_death,moved_out_date,registration_id,intervention_referral_id");
            string[] frailty = ["fit", "mild", "moderate", "severe"];
            string[] origin = ["initial", "birth", "moved_in"];
            foreach (var p in _people)
            {
                var conditions = string.Join(';', Enumerable.Range(0, 8).Where(c => ((p.Conditions >> c) & 1) == 1).Select(c => Health.ConditionNames[c]));
                var lsoa = _world.Lsoas[p.Lsoa];
                w.Write(Csv.Line([
                    p.Key.ToString(CultureInfo.InvariantCulture), p.NhsNumber.ToString(CultureInfo.InvariantCulture),
                    p.Sex == 2 ? Names.Female[p.Given] : Names.Male[p.Given], Names.Family[p.Family], Csv.Date(p.DateOfBirth),
                    p.Sex.ToString(CultureInfo.InvariantCulture), lsoa.Code, lsoa.ImdDecile.ToString(CultureInfo.InvariantCulture),
                    _world.Practices[p.Practice], p.Uprn.ToString(CultureInfo.InvariantCulture), p.Household.ToString(CultureInfo.InvariantCulture),
                    p.CareHome ? "Y" : "N", conditions, p.DeficitCount.ToString(CultureInfo.InvariantCulture),
                    (p.DeficitCount / 36.0).ToString("0.000", CultureInfo.InvariantCulture), frailty[p.Frailty], origin[p.Origin],
                    p.DateOfDeath is { } d ? Csv.Date(d) : null, p.MovedOut is { } mo ? Csv.Date(mo) : null, p.RegistrationId, p.ReferralId,
                ]));
                w.Write('\n');
            }
        }

        private List<RateCheck> Rates()
        {
            var years = Math.Max(1e-9, _personMonths / 12);
            var list = new List<RateCheck>();
            string[] names = ["ae_attendances", "emergency_admissions", "elective_and_day_case_admissions", "outpatient_attendances", "gp_appointments", "community_contacts", "mental_health_contacts"];
            for (var s = 0; s < 7; s++)
            {
                list.Add(new RateCheck(names[s], "per 1,000 people a year", Math.Round(_serviceCounts[s] / years * 1000, 1), Health.Target((Service)s)));
            }

            var end = WindowEnd;
            var alive = _people.Where(p => p.Active).ToList();
            var over65 = alive.Where(p => p.AgeAt(end) >= 65).ToList();
            var over75 = alive.Where(p => p.AgeAt(end) >= 75).ToList();
            list.Add(new RateCheck("long_term_social_care_65plus", "% of people 65+ at the end", Math.Round(100.0 * over65.Count(p => p.CareServiceRef is not null) / Math.Max(1, over65.Count), 2), 5));
            list.Add(new RateCheck("telecare_75plus", "% of people 75+ at the end", Math.Round(100.0 * over75.Count(p => p.TelecareRef is not null) / Math.Max(1, over75.Count), 2), 10));
            list.Add(new RateCheck("deaths", "per 1,000 people a year", Math.Round(_people.Count(p => p.DateOfDeath is not null) / years * 1000, 1), 9.5));
            list.Add(new RateCheck("births", "per 1,000 people a year", Math.Round(_people.Count(p => p.Origin == 1) / years * 1000, 1), 10.5));
            list.Add(new RateCheck("intervention_referrals", "per 1,000 adults a year", Math.Round(_referrals / years * 1000 / 0.79, 1), _o.Intervention.ReferralRatePer1000Adults));
            return list;
        }

        private void WriteEffects(string path, IReadOnlyList<RateCheck> rates)
        {
            var i = _o.Intervention;
            var f = _o.Faults;
            var sb = new StringBuilder();
            sb.Append("{\n");
            sb.Append($"  \"seed\": {_o.Seed},\n  \"people\": {_o.People},\n  \"months\": {_o.Months},\n");
            sb.Append($"  \"start_month\": \"{Start:yyyy-MM}\",\n  \"end_month\": \"{_o.EndMonth:yyyy-MM}\",\n");
            sb.Append("  \"intervention\": {\n");
            sb.Append($"    \"programme_code\": \"SP\",\n    \"provider_code\": \"{World.SocialPrescriber}\",\n");
            sb.Append($"    \"referral_rate_per_1000_adults\": {J(i.ReferralRatePer1000Adults)},\n");
            sb.Append($"    \"spike_referral_multiplier\": {J(i.SpikeReferralMultiplier)},\n");
            sb.Append($"    \"start_probability\": {J(i.StartProbability)},\n");
            sb.Append($"    \"true_ae_rate_ratio\": {J(i.AeRateRatio)},\n");
            sb.Append($"    \"true_gp_rate_ratio\": {J(i.GpRateRatio)},\n");
            sb.Append($"    \"effect_months_after_start\": {i.EffectMonths},\n");
            sb.Append("    \"effect_applies_from\": \"the month after the start date\",\n");
            sb.Append($"    \"spike\": {{ \"monthly_probability_base\": {J(SpikeBase)}, \"use_multiplier\": {J(SpikeMultiplier)}, \"months\": \"2 to 3\", \"services\": [\"ae\", \"emergency_admission\", \"gp_appointment\"] }},\n");
            sb.Append($"    \"referrals\": {_referrals},\n    \"starts\": {_starts}\n  }},\n");
            sb.Append("  \"faults\": {\n");
            sb.Append($"    \"missing_nhs_number\": {J(f.MissingNhsNumber)},\n    \"invalid_nhs_number\": {J(f.InvalidNhsNumber)},\n");
            sb.Append($"    \"nhs_fault_scale_by_feed\": {{ {string.Join(", ", FeedSchemaLoader.FeedNames.Select((n, k) => $"\"{n}\": {J(NhsFaultScale[k])}"))} }},\n");
            sb.Append($"    \"name_typo\": {J(f.NameTypo)},\n    \"dob_transposed\": {J(f.DobTransposed)},\n    \"postcode_changed\": {J(f.PostcodeChanged)},\n");
            sb.Append($"    \"name_swap\": {J(f.NameSwap)},\n    \"typo_both_names\": {J(f.TypoBothNames)},\n    \"missing_given_name\": {J(f.MissingGivenName)},\n");
            sb.Append($"    \"nickname\": {J(f.Nickname)},\n    \"impossible_dob\": {J(f.ImpossibleDob)},\n    \"multiple_fields_without_nhs\": {J(f.MultipleFieldsWithoutNhs)},\n");
            sb.Append($"    \"duplicate_row\": {J(f.DuplicateRow)},\n    \"late_arrival\": {J(f.LateArrival)},\n    \"logged\": {_faultCount}\n  }},\n");
            sb.Append($"  \"nhs_number_blocks\": \"{string.Join(", ", Enumerable.Range(0, _nhs.BlocksUsed).Select(b => (999 - b).ToString(CultureInfo.InvariantCulture)))}\",\n");
            sb.Append($"  \"telecare_calls\": {_telecareCalls},\n  \"telecare_conveyed\": {_conveyed},\n");
            sb.Append("  \"rates\": [\n");
            sb.Append(string.Join(",\n", rates.Select(r => $"    {{ \"measure\": \"{r.Measure}\", \"unit\": \"{r.Unit}\", \"achieved\": {J(r.Achieved)}, \"target\": {J(r.Target)} }}")));
            sb.Append("\n  ]\n}\n");
            File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        }

        private static string J(double d) => d.ToString("R", CultureInfo.InvariantCulture);
    }
}
