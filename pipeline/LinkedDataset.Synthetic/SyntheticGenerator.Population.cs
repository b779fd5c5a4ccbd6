namespace LinkedDataset.Synthetic;

public static partial class SyntheticGenerator
{
    private sealed partial class Run
    {
        private static readonly int[] HouseholdSizes = [1, 2, 3, 4, 5];
        private static readonly double[] HouseholdWeights = [0.30, 0.34, 0.16, 0.13, 0.07];

        /// <summary>Scales the real LSOA x age populations down to N people (systematic sampling), then forms households.</summary>
        private void BuildInitialPopulation()
        {
            var rng = Rng.For(_o.Seed, 0x909);
            var total = _ref.Lsoas.Sum(l => (double)l.PopulationByAge.Sum());
            var step = total / _o.People;
            var threshold = rng.NextDouble() * step;
            var cumulative = 0.0;
            var byLsoa = new List<Person>[_ref.Lsoas.Count];
            for (var i = 0; i < _ref.Lsoas.Count; i++)
            {
                byLsoa[i] = [];
                var ages = _ref.Lsoas[i].PopulationByAge;
                for (var a = 0; a < ages.Length; a++)
                {
                    cumulative += ages[a];
                    while (threshold < cumulative && _people.Count < _o.People)
                    {
                        var age = a < 90 ? a : 90 + (int)Math.Min(14, rng.Gamma(1.2) * 3.5);
                        var p = NewPerson(ref rng, i, age, Start, origin: 0);
                        byLsoa[i].Add(p);
                        threshold += step;
                    }
                }
            }

            foreach (var (members, lsoa) in byLsoa.Select((m, i) => (m, i)))
            {
                // A care home in about a third of LSOAs: many unrelated older people at one UPRN.
                var careHome = rng.Chance(0.35) ? members.Where(p => p.AgeAt(Start) >= 75 && rng.Chance(0.16)).ToList() : [];
                if (careHome.Count >= 3)
                {
                    var uprn = NextUprn(ref rng);
                    var household = (int)++_householdCounter;
                    var postcode = rng.Pick(_world.LsoaPostcodes[lsoa]);
                    foreach (var p in careHome)
                    {
                        p.CareHome = true;
                        p.Uprn = uprn;
                        p.Household = household;
                        p.Postcode = postcode;
                        if (rng.Chance(0.6))
                        {
                            p.Conditions |= 1 << Health.Dementia;
                        }

                        AddDeficits(ref rng, p, 4);
                    }
                }
                else
                {
                    careHome.Clear();
                }

                var others = members.Where(p => !p.CareHome).ToList();
                for (var i = others.Count - 1; i > 0; i--)
                {
                    var j = rng.Next(i + 1);
                    (others[i], others[j]) = (others[j], others[i]);
                }

                var k = 0;
                while (k < others.Count)
                {
                    var size = Math.Min(others.Count - k, HouseholdSizes[rng.Weighted(HouseholdWeights)]);
                    var uprn = NextUprn(ref rng);
                    var household = (int)++_householdCounter;
                    var postcode = rng.Pick(_world.LsoaPostcodes[lsoa]);
                    var family = others[k].Family;
                    for (var x = 0; x < size; x++)
                    {
                        var p = others[k + x];
                        p.Uprn = uprn;
                        p.Household = household;
                        p.Postcode = postcode;
                        if (x > 0 && rng.Chance(0.8))
                        {
                            p.Family = family;
                        }
                    }

                    k += size;
                }
            }

            ComputeNormalisers();
            AssignInitialCare(ref rng);
        }

        private long NextUprn(ref Rng rng)
        {
            _uprnCounter += 1 + rng.Next(9);
            return 100_060_000_000L + _uprnCounter;
        }

        private Person NewPerson(ref Rng rng, int lsoa, int age, DateOnly at, byte origin)
        {
            var femaleShare = age switch { < 60 => 0.495, < 70 => 0.51, < 80 => 0.53, < 85 => 0.57, < 90 => 0.63, _ => 0.71 };
            var sex = (byte)(rng.Chance(femaleShare) ? 2 : 1);
            var dob = at.AddYears(-age).AddDays(-rng.Next(365));
            var p = new Person
            {
                Key = _people.Count + 1,
                NhsNumber = _nhs.Next(),
                Sex = sex,
                Given = (short)rng.Next(sex == 2 ? Names.Female.Length : Names.Male.Length),
                Family = (short)Names.DrawFamily(rng.NextDouble()),
                DateOfBirth = dob,
                Lsoa = lsoa,
                Origin = origin,
                Practice = PracticeFor(ref rng, lsoa),
                Trust = rng.Chance(0.9) ? World.TrustFor(_ref.Lsoas[lsoa]) : rng.Next(World.Trusts.Length),
                UseMultiplier = (float)(rng.Gamma(1.3) / 1.3),
                ReviewMonth = (byte)rng.Between(1, 12),
            };
            var decile = _ref.Lsoas[lsoa].ImdDecile;
            for (var c = 0; c < Health.ConditionNames.Length; c++)
            {
                if (rng.Chance(Health.ConditionProbability(c, age, decile)))
                {
                    p.Conditions |= (ushort)(1 << c);
                }
            }

            AddDeficits(ref rng, p, 0);
            _people.Add(p);
            return p;
        }

        private int PracticeFor(ref Rng rng, int lsoa)
        {
            var home = _world.LsoaPractice[lsoa];
            if (!rng.Chance(0.15))
            {
                return home;
            }

            return Math.Clamp(home + (rng.Chance(0.5) ? 1 : -1), 0, _world.Practices.Length - 1);
        }

        private void AddDeficits(ref Rng rng, Person p, int extraMean)
        {
            for (var c = 0; c < Health.ConditionNames.Length; c++)
            {
                if (((p.Conditions >> c) & 1) == 1 && Health.ConditionDeficit[c] is { } name && _deficitIndex.TryGetValue(name, out var d))
                {
                    p.Deficits |= 1UL << d;
                }
            }

            var n = rng.Poisson(Health.ExpectedOtherDeficits(p.AgeAt(Start), System.Numerics.BitOperations.PopCount(p.Conditions)) + extraMean);
            for (var i = 0; i < n; i++)
            {
                p.Deficits |= 1UL << rng.Next(_ref.EfiDeficits.Count);
            }
        }

        private void ComputeNormalisers()
        {
            var sums = new double[7];
            double referralSum = 0;
            var adults = 0;
            foreach (var p in _people)
            {
                var age = p.AgeAt(Start);
                var decile = _ref.Lsoas[p.Lsoa].ImdDecile;
                for (var s = 0; s < 7; s++)
                {
                    sums[s] += Health.RelativeUse((Service)s, age, p.Sex, p.Conditions, p.Frailty, decile);
                }

                if (age >= 18)
                {
                    adults++;
                    referralSum += ReferralRelative(p, decile);
                }
            }

            for (var s = 0; s < 7; s++)
            {
                _useNormaliser[s] = sums[s] / _people.Count;
            }

            // Spikes raise use for about 1.3% of person-time; referrals are also concentrated in spikes.
            var spikeShare = SpikeBase * 1.4 * 2.5;
            _referralNormaliser = referralSum / Math.Max(1, adults) * (1 + (_o.Intervention.SpikeReferralMultiplier - 1) * spikeShare);
        }

        private static double ReferralRelative(Person p, int decile) =>
            (1 + 0.3 * System.Numerics.BitOperations.PopCount(p.Conditions))
            * (((p.Conditions >> Health.Depression) & 1) == 1 ? 2 : 1)
            * (1 + 0.04 * (5.5 - decile));

        private static double CareRisk(Person p, int age) =>
            (age < 75 ? 0.5 : age < 85 ? 1.3 : 3) * p.Frailty switch { 0 => 0.3, 1 => 1, 2 => 2.5, _ => 5 };

        /// <summary>Long-term social care for about 5% of people 65+ and telecare for about 10% of 75+, in the frail.</summary>
        private void AssignInitialCare(ref Rng rng)
        {
            var over65 = _people.Where(p => p.AgeAt(Start) >= 65).ToList();
            var community = over65.Where(p => !p.CareHome).ToList();
            var meanRisk = community.Count == 0 ? 1 : community.Average(p => CareRisk(p, p.AgeAt(Start)));
            foreach (var p in over65)
            {
                var take = p.CareHome ? rng.Chance(0.5) : rng.Chance(Math.Min(0.9, 0.037 * CareRisk(p, p.AgeAt(Start)) / meanRisk));
                if (take)
                {
                    p.CareServiceKind = (byte)(p.CareHome ? (rng.Chance(0.45) ? 2 : 1) : (rng.Chance(0.75) ? 3 : 4));
                    p.CareServiceStart = Start.AddDays(-rng.Between(30, 5 * 365));
                    p.CareServiceRef = "pending";
                }
            }

            var over75 = _people.Where(p => p.AgeAt(Start) >= 75 && !p.CareHome).ToList();
            var telecareRisk = over75.Count == 0 ? 1 : over75.Average(p => TelecareRisk(p));
            foreach (var p in over75)
            {
                if (rng.Chance(Math.Min(0.9, 0.105 * TelecareRisk(p) / telecareRisk)))
                {
                    p.TelecareRef = "pending";
                    p.TelecareDevice = (byte)(((p.Conditions >> Health.Dementia) & 1) == 1 && rng.Chance(0.5) ? 3 : rng.Chance(0.25) ? 1 : 0);
                }
            }
        }

        private static double TelecareRisk(Person p) => p.Frailty switch { 0 => 0.4, 1 => 1, 2 => 2, _ => 3 };
    }
}
