using System.Globalization;

namespace LinkedDataset.Synthetic;

public static partial class SyntheticGenerator
{
    private const double SpikeBase = 0.004;
    private const double SpikeMultiplier = 3;

    private sealed partial class Run
    {
        private static readonly string[] CareKinds = ["", "Long Term Support: Residential Care", "Long Term Support: Nursing Care", "Long Term Support: Community", "Long Term Support: Community"];
        private static readonly string[] CareComponents = ["", "Long Term Residential Care", "Long Term Nursing Care", "Home Support", "Direct Payment"];
        private static readonly string[] Devices = ["pendant", "falls_detector", "pir_inactivity", "door_exit_sensor"];

        /// <summary>Month 1 also carries what already exists: registrations, coded history, current services, installed telecare.</summary>
        private void Backload()
        {
            var initial = _people.Count;
            for (var k = 0; k < initial; k++)
            {
                var p = _people[k];
                var rng = Rng.For(_o.Seed, (ulong)p.Key, 0xBAC);
                var age = p.AgeAt(Start);
                var years = Math.Min(age, 25);
                var start = Start.AddDays(-rng.Between(1, Math.Max(1, years * 365)));
                p.RegistrationStart = start < p.DateOfBirth ? p.DateOfBirth : start;
                p.RegistrationId = NextId(Feed.Pmi, "R");
                Registration(p, 0, firstSending: true, backload: true);

                for (var c = 0; c < Health.ConditionNames.Length; c++)
                {
                    if (((p.Conditions >> c) & 1) == 1)
                    {
                        CodedEvent(p, _ref.Conditions[c], Start.AddDays(-rng.Between(30, Math.Max(31, Math.Min(age, 20) * 365))), 0, backload: true);
                    }
                }

                for (var d = 0; d < _ref.EfiDeficits.Count; d++)
                {
                    if (((p.Deficits >> d) & 1) == 1)
                    {
                        CodedEvent(p, _ref.EfiDeficits[d], Start.AddDays(-rng.Between(30, Math.Max(31, Math.Min(age, 10) * 365))), 0, backload: true);
                    }
                }

                if (p.CareServiceRef is not null)
                {
                    StartCareService(p, p.CareServiceKind, p.CareServiceStart, 0, ref rng, backload: true);
                }

                if (p.TelecareRef is not null)
                {
                    InstallTelecare(p, Start.AddDays(-rng.Between(30, 4 * 365)), 0, p.TelecareDevice, backload: true);
                }
            }
        }

        private void SimulateMonth(int m)
        {
            var monthStart = MonthStart(m);
            var monthEnd = MonthEnd(m);
            var days = monthEnd.Day;
            var count = _people.Count;
            var births = new List<(Person Mother, DateOnly Date)>();
            var activeCount = 0;
            for (var k = 0; k < count; k++)
            {
                var p = _people[k];
                if (!p.Active)
                {
                    continue;
                }

                activeCount++;
                _personMonths++;
                var rng = Rng.For(_o.Seed, (ulong)p.Key, (ulong)m + 1);
                var age = p.AgeAt(monthStart);
                var frailty = p.Frailty;
                var decile = _ref.Lsoas[p.Lsoa].ImdDecile;

                // Life events this month.
                DateOnly? death = null, moveOut = null, transfer = null;
                if (rng.Chance(Health.AnnualMortality(age, frailty, p.CareHome) / 12))
                {
                    death = monthStart.AddDays(rng.Next(days));
                }
                else if (!p.CareHome && rng.Chance((age is >= 18 and < 35 ? 0.045 : 0.018) / 12))
                {
                    moveOut = monthStart.AddDays(rng.Next(days));
                }
                else if (!p.CareHome && rng.Chance(0.012 / 12))
                {
                    transfer = monthStart.AddDays(rng.Next(days - 1));
                }

                var lastDay = death ?? moveOut ?? monthEnd;
                var activeDays = lastDay.Day;

                // Temporary spike in use (and the referrals that follow it).
                if (p.SpikeUntil < m && rng.Chance(SpikeBase * (1 + 0.3 * System.Numerics.BitOperations.PopCount(p.Conditions)) * (age >= 65 ? 1.5 : 1)))
                {
                    p.SpikeUntil = m + rng.Between(1, 2);
                }

                var spike = p.SpikeUntil >= m ? SpikeMultiplier : 1;
                var effect = m >= p.EffectFrom && m <= p.EffectUntil;
                var scale = p.UseMultiplier * activeDays / days;

                for (var s = 0; s < 7; s++)
                {
                    var service = (Service)s;
                    var lambda = Health.Target(service) / 12000 / Health.CountedShare(service)
                                 * Health.RelativeUse(service, age, p.Sex, p.Conditions, frailty, decile) / _useNormaliser[s] * scale;
                    if (service is Service.Ae or Service.EmergencyAdmission or Service.GpAppointment)
                    {
                        lambda *= spike;
                    }

                    if (service == Service.Ae)
                    {
                        lambda *= (450 - 0.7 * 115) / 450; // the rest arrive with an emergency admission
                        if (effect)
                        {
                            lambda *= _o.Intervention.AeRateRatio;
                        }
                    }
                    else if (service == Service.GpAppointment && effect)
                    {
                        lambda *= _o.Intervention.GpRateRatio;
                    }
                    else if (service == Service.EmergencyAdmission && effect)
                    {
                        lambda *= _o.Intervention.AeRateRatio;
                    }

                    var n = rng.Poisson(lambda);
                    for (var i = 0; i < n; i++)
                    {
                        var date = monthStart.AddDays(rng.Next(activeDays));
                        switch (service)
                        {
                            case Service.Ae: Ae(p, date, m, ref rng, ambulance: null, admitted: false); break;
                            case Service.EmergencyAdmission:
                                var viaAe = rng.Chance(0.7);
                                if (viaAe)
                                {
                                    Ae(p, date, m, ref rng, ambulance: null, admitted: true);
                                }

                                Admission(p, date, m, ref rng, emergency: true, viaAe, diedOn: null);
                                break;
                            case Service.ElectiveAdmission: Admission(p, date, m, ref rng, emergency: false, viaAe: false, diedOn: null); break;
                            case Service.Outpatient: Outpatient(p, date, m, ref rng); break;
                            case Service.GpAppointment: GpAppointment(p, date, m, ref rng); break;
                            case Service.Community: CommunityContact(p, date, m, ref rng); break;
                            case Service.MentalHealth: MentalHealthContact(p, date, m, ref rng); break;
                        }
                    }
                }

                // Annual recoding of conditions and frailty deficits at the review month.
                if (monthStart.Month == p.ReviewMonth && activeDays > 1)
                {
                    var review = monthStart.AddDays(rng.Next(activeDays));
                    for (var c = 0; c < Health.ConditionNames.Length; c++)
                    {
                        if (((p.Conditions >> c) & 1) == 1)
                        {
                            CodedEvent(p, _ref.Conditions[c], review, m, backload: false);
                        }
                    }

                    for (var d = 0; d < _ref.EfiDeficits.Count; d++)
                    {
                        if (((p.Deficits >> d) & 1) == 1 && rng.Chance(0.5))
                        {
                            CodedEvent(p, _ref.EfiDeficits[d], review, m, backload: false);
                        }
                    }

                    if (p.CareServiceRef is not null)
                    {
                        CareEvent(p, "Review", review, review, "No change in package", m);
                    }
                }

                // Social care: new long-term services, mostly for frail older people.
                if (p.CareServiceRef is null && age >= 65 && rng.Chance(0.0011 * CareRisk(p, age)))
                {
                    var kind = (byte)(p.CareHome ? 1 : frailty >= 3 && rng.Chance(0.3) ? 2 : rng.Chance(0.75) ? 3 : 4);
                    var d = monthStart.AddDays(rng.Next(activeDays));
                    StartCareService(p, kind, d, m, ref rng, backload: false);
                }

                // Telecare: new installations, then alarm calls.
                if (p.TelecareRef is null && age >= 75 && !p.CareHome && rng.Chance(0.0028 * TelecareRisk(p)))
                {
                    p.TelecareDevice = (byte)(((p.Conditions >> Health.Dementia) & 1) == 1 && rng.Chance(0.5) ? 3 : rng.Chance(0.25) ? 1 : 0);
                    InstallTelecare(p, monthStart.AddDays(rng.Next(activeDays)), m, p.TelecareDevice, backload: false);
                }
                else if (p.TelecareRef is not null)
                {
                    var calls = rng.Poisson(0.5 * (1 + 0.4 * frailty) * activeDays / days);
                    for (var i = 0; i < calls; i++)
                    {
                        AlarmCall(p, monthStart.AddDays(rng.Next(activeDays)), m, ref rng);
                    }
                }

                // Intervention: referral, more likely during a spike; the start may fall in a later month.
                if (p.ReferralId is null && age >= 18 && death is null && moveOut is null)
                {
                    var pr = _o.Intervention.ReferralRatePer1000Adults / 12000 * ReferralRelative(p, decile) / _referralNormaliser
                             * (spike > 1 ? _o.Intervention.SpikeReferralMultiplier : 1);
                    if (rng.Chance(pr))
                    {
                        Refer(p, monthStart.AddDays(rng.Next(days)), m, ref rng);
                    }
                }
                else if (p.ReferralId is not null && p.EffectFrom == m + 1 && p.InterventionStart.Month != p.InterventionReferral.Month)
                {
                    InterventionRow(p, m, firstSending: false);
                }

                // Births to women 18-44.
                if (p.Sex == 2 && age is >= 18 and <= 44 && !p.CareHome && rng.Chance(0.07 / 12))
                {
                    births.Add((p, monthStart.AddDays(rng.Next(activeDays))));
                }

                // Endings: death (in hospital for some), moving away, changing practice.
                if (death is { } dd)
                {
                    if (rng.Chance(0.45))
                    {
                        var admitted = dd.AddDays(-Math.Min(dd.Day - 1, rng.Between(0, 12)));
                        Admission(p, admitted, m, ref rng, emergency: true, viaAe: false, diedOn: dd);
                    }

                    p.DateOfDeath = dd;
                    EndRegistration(p, dd, "D", m);
                    EndCare(p, dd, "NFA - Deceased", m);
                }
                else if (moveOut is { } mo)
                {
                    p.MovedOut = mo;
                    EndRegistration(p, mo, rng.Chance(0.9) ? "R" : "E", m);
                    EndCare(p, mo, "NFA - Moved to another LA", m);
                }
                else if (transfer is { } t)
                {
                    EndRegistration(p, t, "I", m);
                    var practice = (p.Practice + 1 + rng.Next(Math.Max(1, _world.Practices.Length - 1))) % _world.Practices.Length;
                    p.Practice = practice;
                    p.RegistrationId = NextId(Feed.Pmi, "R");
                    p.RegistrationStart = t.AddDays(1);
                    Registration(p, m, firstSending: true, backload: false);
                }
            }

            // Births and moves in join the population; their activity starts next month.
            foreach (var (mother, date) in births)
            {
                var rng = Rng.For(_o.Seed, (ulong)mother.Key, (ulong)m + 1, 0xB1);
                var baby = NewPerson(ref rng, mother.Lsoa, 0, date, origin: 1);
                baby.DateOfBirth = date;
                baby.Conditions = 0;
                baby.Deficits = 0;
                baby.Family = mother.Family;
                baby.Uprn = mother.Uprn;
                baby.Household = mother.Household;
                baby.Postcode = mother.Postcode;
                baby.Practice = mother.Practice;
                baby.Trust = mother.Trust;
                Register(baby, date.AddDays(Math.Min(rng.Between(0, 14), monthEnd.DayNumber - date.DayNumber)), m);
            }

            var monthRng = Rng.For(_o.Seed, 0x1111, (ulong)m);
            var movers = monthRng.Poisson(activeCount * 0.028 / 12);
            for (var i = 0; i < movers; i++)
            {
                Person template;
                do
                {
                    template = _people[monthRng.Next(count)];
                }
                while (!template.Active);

                var p = NewPerson(ref monthRng, template.Lsoa, template.AgeAt(monthStart), monthStart, origin: 2);
                p.Uprn = NextUprn(ref monthRng);
                p.Household = (int)++_householdCounter;
                p.Postcode = monthRng.Pick(_world.LsoaPostcodes[p.Lsoa]);
                Register(p, monthStart.AddDays(monthRng.Next(days)), m);
            }
        }

        // ---------------------------------------------------------------- pmi

        private void Register(Person p, DateOnly start, int m)
        {
            p.RegistrationId = NextId(Feed.Pmi, "R");
            p.RegistrationStart = start;
            Registration(p, m, firstSending: true, backload: false);
        }

        private void Registration(Person p, int m, bool firstSending, bool backload, DateOnly? end = null, string? reason = null)
        {
            var r = Row(Feed.Pmi);
            r.Set("registration_start_date", p.RegistrationStart);
            r.Set("registration_end_date", end);
            r.Set("deregistration_reason", reason);
            r.Set("date_of_death", reason == "D" ? p.DateOfDeath : null);
            Commit(r, _world.Practices[p.Practice], p.RegistrationId, p, p.RegistrationStart, m, firstSending, backload);
        }

        private void EndRegistration(Person p, DateOnly end, string reason, int m) =>
            Registration(p, m, firstSending: false, backload: false, end, reason);

        // ---------------------------------------------------------------- gp_event

        private void CodedEvent(Person p, Codelist list, DateOnly date, int m, bool backload)
        {
            var code = list.Codes[(int)(Rng.Mix((ulong)p.Key * 31 + (ulong)list.Name.Length) % (ulong)list.Codes.Length)];
            var r = Row(Feed.GpEvent);
            r.Set("event_date", date);
            r.Set("event_type", "C");
            r.Set("snomedct_code", code);
            Commit(r, _world.Practices[p.Practice], NextId(Feed.GpEvent, "E"), p, date, m, backload: backload);
        }

        private void GpAppointment(Person p, DateOnly date, int m, ref Rng rng)
        {
            _serviceCounts[(int)Service.GpAppointment]++;
            var age = p.AgeAt(date);
            var r = Row(Feed.GpEvent);
            r.Set("event_date", date);
            r.Set("event_type", "A");
            r.Set("appt_status", rng.Chance(0.04) ? "DNA" : rng.Chance(0.01) ? "Unknown" : "Attended");
            r.Set("appt_mode", (age >= 85 || p.CareHome) && rng.Chance(0.15) ? "Home Visit"
                : rng.Weighted([0.66, 0.29, 0.03, 0.02]) switch { 0 => "Face-to-Face", 1 => "Telephone", 2 => "Video Conference/Online", _ => "Unknown" });
            r.Set("hcp_type", rng.Weighted([0.48, 0.47, 0.05]) switch { 0 => "GP", 1 => "Other Practice staff", _ => "Unknown" });
            Commit(r, _world.Practices[p.Practice], NextId(Feed.GpEvent, "E"), p, date, m);
        }

        // ---------------------------------------------------------------- acute

        private static readonly string[] Complaints =
            ["29857009", "21522001", "267036007", "1912002", "25064002", "386661006", "422400008", "248062006", "125605004", "271807003", "404640003", "283682007"];

        private static readonly string[] AeHrg = ["VB03Z", "VB04Z", "VB05Z", "VB06Z", "VB07Z", "VB08Z", "VB09Z", "VB11Z"];

        private void Ae(Person p, DateOnly date, int m, ref Rng rng, bool? ambulance, bool admitted)
        {
            _serviceCounts[(int)Service.Ae]++;
            var age = p.AgeAt(date);
            var byAmbulance = ambulance ?? rng.Chance(Math.Min(0.9, 0.08 + (age >= 65 ? 0.25 : 0) + (age >= 85 ? 0.2 : 0) + 0.05 * p.Frailty + (admitted ? 0.25 : 0)));
            var r = Row(Feed.Ae);
            r.Set("arrival_date", date);
            r.Set("arrival_time", $"{(int)Math.Min(23, 7 + rng.Gamma(3) * 2.5):D2}:{rng.Next(60):D2}");
            r.Set("ec_department_type", !admitted && !byAmbulance && rng.Chance(0.3) ? "03" : "01");
            r.Set("ec_attendance_category", rng.Chance(0.95) ? "1" : "2");
            r.Set("ec_arrival_mode_snomed_ct", byAmbulance
                ? rng.Weighted([0.9, 0.04, 0.06]) switch { 0 => "1048031000000100", 1 => "1048041000000109", _ => "1048021000000102" }
                : rng.Weighted([0.85, 0.12, 0.03]) switch { 0 => "1048071000000103", 1 => "1048061000000105", _ => "1048001000000106" });
            r.Set("ec_chief_complaint_snomed_ct", age >= 75 && rng.Chance(0.3) ? "1912002" : rng.Pick(Complaints));
            r.Set("ec_acuity_snomed_ct", rng.Weighted([0.02, 0.15, 0.45, 0.3, 0.08]) switch
            {
                0 => "1064891000000107", 1 => "1064911000000105", 2 => "1064901000000108", 3 => "1077241000000103", _ => "1077251000000100",
            });
            r.Set("discharge_destination_snomed_ct", admitted ? "306706006"
                : p.CareHome ? (rng.Chance(0.5) ? "306691003" : "306694006")
                : rng.Chance(0.03) ? "19712007" : "306689006");
            r.Set("ec_discharge_status_snomed_ct", admitted ? "182992009"
                : rng.Weighted([0.92, 0.05, 0.03]) switch { 0 => "182992009", 1 => "1066321000000107", _ => "1066301000000103" });
            r.Set("ec_departure_time_since_arrival", 40 + (int)(rng.Gamma(2) * 90));
            r.Set("sus_hrg_code", rng.Pick(AeHrg));
            Commit(r, World.Trusts[p.Trust], NextId(Feed.Ae, "A"), p, date, m);
        }

        private static readonly (string Diag, string Hrg, string Tfc)[] EmergencyDiagnoses =
        [
            ("J189", "DZ11K", "300"), ("N390", "LA04N", "300"), ("R074", "EB12C", "300"), ("I214", "EB10A", "320"), ("J441", "DZ65J", "340"),
            ("I509", "EB03D", "320"), ("R55X", "EB08E", "300"), ("K359", "FF10B", "100"), ("S720", "HE11B", "110"), ("R104", "FD05B", "100"),
            ("I639", "AA35C", "300"), ("A099", "FD01J", "300"),
        ];

        private static readonly (string Diag, string Proc, string Hrg, string Tfc)[] ElectiveProcedures =
        [
            ("H251", "C712", "BZ34B", "130"), ("M171", "W401", "HN22C", "110"), ("K802", "J183", "GA10F", "100"), ("N40X", "M653", "LB25E", "101"),
            ("K409", "T202", "FF62B", "100"), ("K219", "G451", "FE21Z", "301"), ("K573", "H221", "FE32Z", "301"), ("D122", "H251", "FE31Z", "301"),
            ("C509", "B281", "JA07C", "100"), ("N952", "Q181", "MA10Z", "502"), ("M161", "W371", "HN12C", "110"), ("L905", "S063", "JC42D", "330"),
        ];

        private void Admission(Person p, DateOnly date, int m, ref Rng rng, bool emergency, bool viaAe, DateOnly? diedOn)
        {
            _serviceCounts[(int)(emergency ? Service.EmergencyAdmission : Service.ElectiveAdmission)]++;
            var age = p.AgeAt(date);
            var r = Row(Feed.Apc);
            string diag, tfc, hrg;
            string? proc = null;
            int los;
            string classification, method;
            decimal tariff;
            if (emergency)
            {
                var e = age >= 70 && p.Frailty >= 2 && rng.Chance(0.15) ? EmergencyDiagnoses[8] : rng.Pick(EmergencyDiagnoses);
                (diag, hrg, tfc) = e;
                if (age < 16)
                {
                    tfc = "420";
                }
                else if (age >= 75 && tfc == "300" && rng.Chance(0.5))
                {
                    tfc = "430";
                }

                method = viaAe ? "21" : rng.Weighted([0.55, 0.05, 0.1, 0.2, 0.1]) switch { 0 => "22", 1 => "23", 2 => "24", 3 => "2D", _ => "2B" };
                classification = "1";
                los = rng.Chance(0.3) ? 0 : 1 + (int)(rng.Gamma(1.2) * (2 + age / 14.0));
                tariff = los <= 1 ? 791 : 5132;
            }
            else
            {
                var e = rng.Pick(ElectiveProcedures);
                (diag, proc, hrg, tfc) = e;
                method = rng.Weighted([0.6, 0.25, 0.15]) switch { 0 => "11", 1 => "12", _ => "13" };
                var dayCase = rng.Chance(0.78);
                classification = dayCase ? "2" : "1";
                los = dayCase ? 0 : rng.Between(1, 6);
                tariff = dayCase ? 1031 : 6215;
            }

            if (diedOn is { } died)
            {
                los = died.DayNumber - date.DayNumber;
            }

            var discharge = date.AddDays(los);
            var finished = discharge <= WindowEnd;
            var secondary = string.Join(',', Enumerable.Range(0, 8).Where(c => ((p.Conditions >> c) & 1) == 1).Select(c => Health.ConditionIcd10[c]));
            r.Set("admission_date", date);
            r.Set("discharge_date", finished ? discharge : null);
            r.Set("admission_method", method);
            r.Set("patient_classification", classification);
            r.Set("admission_source", p.CareHome ? "85" : "19");
            r.Set("discharge_destination", !finished ? "98" : diedOn is not null ? "79" : p.CareHome ? "85" : rng.Chance(0.04) && age >= 75 ? "56" : "19");
            r.Set("discharge_method", !finished ? "8" : diedOn is not null ? "4" : rng.Chance(0.01) ? "2" : "1");
            r.Set("primary_diagnosis", diag);
            r.Set("secondary_diagnoses", secondary.Length == 0 ? null : secondary);
            r.Set("primary_procedure", proc);
            r.Set("spell_core_hrg", hrg);
            r.Set("treatment_function_code", tfc);
            r.Set("main_specialty_code", tfc == "430" ? "430" : tfc);
            r.Set("length_of_stay", finished ? los.ToString(CultureInfo.InvariantCulture) : null);
            r.Set("spell_tariff", Math.Round(tariff * (decimal)(0.75 + rng.NextDouble() * 0.5), 2));
            Commit(r, World.Trusts[p.Trust], NextId(Feed.Apc, "S"), p, date, m);

            // Frail older people sometimes go home with reablement.
            if (emergency && finished && diedOn is null && age >= 65 && p.Frailty >= 1 && discharge <= MonthEnd(m) && rng.Chance(0.12))
            {
                CareEvent(p, "Service", discharge, discharge.AddDays(42), "Service ended as planned", m,
                    "Short Term Support: ST-Max", "Reablement", units: rng.Between(5, 12), cost: 30m, unit: "Hourly");
            }
        }

        private static readonly string[] AdultTfc = ["100", "101", "110", "120", "130", "300", "301", "320", "330", "340", "400", "410", "502", "650", "800"];
        private static readonly string[] OlderTfc = ["130", "320", "110", "301", "430", "101", "340", "800", "400", "650"];

        private void Outpatient(Person p, DateOnly date, int m, ref Rng rng)
        {
            var age = p.AgeAt(date);
            var tfc = age < 16 ? (rng.Chance(0.6) ? "420" : rng.Pick(["120", "130", "110"])) : age >= 65 && rng.Chance(0.6) ? rng.Pick(OlderTfc) : rng.Pick(AdultTfc);
            var status = rng.Weighted([0.84, 0.03, 0.07, 0.03, 0.03]) switch { 0 => "5", 1 => "6", 2 => "3", 3 => "2", _ => "4" };
            var attended = status is "5" or "6";
            if (attended)
            {
                _serviceCounts[(int)Service.Outpatient]++;
            }

            var first = rng.Weighted([0.3, 0.55, 0.04, 0.11]) + 1;
            var r = Row(Feed.Op);
            r.Set("appointment_date", date);
            r.Set("attendance_status", status);
            r.Set("first_attendance", first);
            r.Set("treatment_function_code", tfc);
            r.Set("main_specialty_code", tfc == "650" ? "960" : rng.Chance(0.08) ? "950" : tfc);
            r.Set("consultation_medium_used", first >= 3 ? "02" : "01");
            r.Set("outcome_of_attendance", attended ? (rng.Weighted([0.35, 0.45, 0.2]) + 1).ToString(CultureInfo.InvariantCulture) : null);
            r.Set("priority_type", (rng.Weighted([0.7, 0.2, 0.1]) + 1).ToString(CultureInfo.InvariantCulture));
            r.Set("hrg_code", first is 1 or 3 ? "WF01B" : "WF01A");
            Commit(r, World.Trusts[p.Trust], NextId(Feed.Op, "O"), p, date, m);
        }

        // ---------------------------------------------------------------- community and mental health

        private static readonly string[] AdultTeams = ["Community physiotherapy", "Podiatry", "Community nursing clinic", "Musculoskeletal service", "Continence service"];
        private static readonly string[] OlderTeams = ["District nursing", "District nursing", "District nursing", "Community matron", "Rapid response", "Podiatry", "Community physiotherapy", "Occupational therapy"];

        private void CommunityContact(Person p, DateOnly date, int m, ref Rng rng)
        {
            var age = p.AgeAt(date);
            var team = age < 5 ? "Health visiting" : age < 18 ? rng.Pick(["School nursing", "Speech and language therapy", "Children's community nursing"])
                : age >= 65 ? rng.Pick(OlderTeams) : rng.Pick(AdultTeams);
            var status = rng.Weighted([0.91, 0.02, 0.04, 0.015, 0.015]) switch { 0 => "5", 1 => "6", 2 => "3", 3 => "2", _ => "4" };
            if (status is "5" or "6")
            {
                _serviceCounts[(int)Service.Community]++;
            }

            var home = team is "District nursing" or "Community matron" or "Rapid response" or "Health visiting";
            var r = Row(Feed.Community);
            r.Set("service_request_id", "CR" + p.Key.ToString("D9", CultureInfo.InvariantCulture));
            r.Set("contact_date", date);
            r.Set("contact_time", $"{rng.Between(8, 17):D2}:{rng.Next(4) * 15:D2}");
            r.Set("team_type", team);
            r.Set("care_contact_duration", 10 + (int)(rng.Gamma(2) * 15));
            r.Set("consultation_medium_used", rng.Weighted([0.86, 0.12, 0.02]) switch { 0 => "01", 1 => "02", _ => "11" });
            r.Set("attendance_status", status);
            r.Set("activity_location_type_code", p.CareHome ? "G01" : home ? "A01" : team == "School nursing" ? "L01" : "B01");
            Commit(r, World.Community, NextId(Feed.Community, "C"), p, date, m);
        }

        private void MentalHealthContact(Person p, DateOnly date, int m, ref Rng rng)
        {
            var age = p.AgeAt(date);
            var team = p.Sex == 2 && age is >= 18 and <= 44 && rng.Chance(0.1) ? "C02"
                : rng.Weighted([0.6, 0.1, 0.08, 0.12, 0.05, 0.05]) switch { 0 => "A06", 1 => "A02", 2 => "A08", 3 => "A18", 4 => "A19", _ => "Z01" };
            var status = rng.Weighted([0.83, 0.02, 0.1, 0.05]) switch { 0 => "5", 1 => "6", 2 => "3", _ => "2" };
            if (status is "5" or "6")
            {
                _serviceCounts[(int)Service.MentalHealth]++;
            }

            var r = Row(Feed.MentalHealth);
            r.Set("uniq_serv_req_id", "MR" + p.Key.ToString("D9", CultureInfo.InvariantCulture));
            r.Set("care_cont_date", date);
            r.Set("care_cont_time", $"{rng.Between(8, 19):D2}:{rng.Next(4) * 15:D2}");
            r.Set("serv_team_type_ref_to_mh", team);
            r.Set("cons_type", rng.Chance(0.15) ? "01" : "02");
            r.Set("cons_mechanism_mh", team == "A19" ? "02" : rng.Weighted([0.6, 0.3, 0.1]) switch { 0 => "01", 1 => "02", _ => "11" });
            r.Set("attend_or_dna_code", status);
            r.Set("clin_cont_dur_of_care_cont", 20 + (int)(rng.Gamma(3) * 12));
            Commit(r, World.MentalHealth, NextId(Feed.MentalHealth, "M"), p, date, m);
        }

        // ---------------------------------------------------------------- social care

        private void StartCareService(Person p, byte kind, DateOnly start, int m, ref Rng rng, bool backload)
        {
            p.LaClientId ??= "LA" + p.Key.ToString("D8", CultureInfo.InvariantCulture);
            if (!backload)
            {
                var request = start.AddDays(-Math.Min(start.Day - 1, rng.Between(7, 28)));
                CareEvent(p, "Request", request, request, "Progress to Assessment", m);
                var assessment = request.AddDays(rng.Between(0, start.DayNumber - request.DayNumber));
                CareEvent(p, "Assessment", assessment, assessment, "Progress to Support Planning / Services", m);
            }

            p.CareServiceKind = kind;
            p.CareServiceStart = start;
            var (units, cost, unit) = kind switch
            {
                1 => (1m, Math.Round(897m + rng.Next(300), 2), "Weekly"),
                2 => (1m, Math.Round(1003m + rng.Next(560), 2), "Weekly"),
                3 => ((decimal)rng.Between(5, 25), 24m + rng.Next(8), "Hourly"),
                _ => (1m, 180m + rng.Next(250), "Weekly"),
            };
            p.CareServiceRef = CareEvent(p, "Service", start, null, "Provision of service", m, CareKinds[kind], CareComponents[kind], units, cost, unit, backload);
        }

        private string CareEvent(Person p, string type, DateOnly start, DateOnly? end, string outcome, int m,
            string? serviceType = null, string? component = null, decimal? units = null, decimal? cost = null, string? unit = null,
            bool backload = false, string? reference = null)
        {
            p.LaClientId ??= "LA" + p.Key.ToString("D8", CultureInfo.InvariantCulture);
            var r = Row(Feed.SocialCare);
            r.Set("la_person_unique_identifier", p.LaClientId);
            r.Set("client_type", "Service User");
            r.Set("primary_support_reason", ((p.Conditions >> Health.Dementia) & 1) == 1 ? "Support with Memory & Cognition" : "Physical Support: Personal care support");
            r.Set("event_type", type);
            r.Set("event_start_date", start);
            r.Set("event_end_date", end);
            r.Set("event_outcome", outcome);
            r.Set("service_type", serviceType);
            r.Set("service_component", component);
            r.Set("delivery_mechanism", component is null ? null : component == "Direct Payment" ? "Direct Payment" : "CASSR Commissioned Support");
            if (units is { } u)
            {
                r.Set("planned_units_per_week", u);
            }

            if (cost is { } c)
            {
                r.Set("unit_cost", c);
            }

            r.Set("cost_frequency_unit_type", unit);
            var id = reference ?? NextId(Feed.SocialCare, "SC");
            Commit(r, _world.LaFor(p), id, p, start, m, firstSending: reference is null, backload: backload);
            return id;
        }

        private void EndCare(Person p, DateOnly end, string outcome, int m)
        {
            if (p.CareServiceRef is { } reference)
            {
                var kind = p.CareServiceKind;
                var (units, cost, unit) = kind is 3 ? (10m, 27m, "Hourly") : (1m, kind == 2 ? 1003m : kind == 1 ? 897m : 250m, "Weekly");
                CareEvent(p, "Service", p.CareServiceStart, end, outcome, m, CareKinds[kind], CareComponents[kind], units, cost, unit, reference: reference);
            }

            if (p.TelecareRef is not null)
            {
                var r = Row(Feed.Telecare);
                r.Set("client_id", p.TelecareClientId);
                r.Set("event_type", "REMOVE");
                r.Set("event_date", end);
                r.Set("trigger_device_type", Devices[p.TelecareDevice]);
                Commit(r, _world.LaFor(p), NextId(Feed.Telecare, "T"), p, end, m);
            }
        }

        // ---------------------------------------------------------------- telecare

        private void InstallTelecare(Person p, DateOnly date, int m, byte device, bool backload)
        {
            p.TelecareClientId ??= "TC" + p.Key.ToString("D8", CultureInfo.InvariantCulture);
            var r = Row(Feed.Telecare);
            r.Set("client_id", p.TelecareClientId);
            r.Set("event_type", "INSTALL");
            r.Set("event_date", date);
            r.Set("trigger_device_type", Devices[device]);
            var id = NextId(Feed.Telecare, "T");
            p.TelecareRef = id;
            Commit(r, _world.LaFor(p), id, p, date, m, backload: backload);
        }

        private void AlarmCall(Person p, DateOnly date, int m, ref Rng rng)
        {
            _telecareCalls++;
            var reason = rng.Weighted([0.22, 0.10, 0.20, 0.03, 0.03, 0.30, 0.12]) switch
            {
                0 => "fall", 1 => "medical", 2 => "assistance", 3 => "environmental", 4 => "exit_wandering", 5 => "false_alarm", _ => "technical",
            };
            var device = reason switch
            {
                "environmental" => "smoke_heat",
                "exit_wandering" => "door_exit_sensor",
                "fall" when p.TelecareDevice == 1 && rng.Chance(0.6) => "falls_detector",
                _ => Devices[p.TelecareDevice],
            };
            var ambulance = reason switch { "fall" => rng.Chance(0.3), "medical" => rng.Chance(0.5), _ => false };
            var responder = !ambulance && reason is "fall" or "assistance" && rng.Chance(0.5);
            var outcome = ambulance ? "ambulance_requested"
                : responder ? "responder_dispatched"
                : reason == "medical" ? (rng.Chance(0.5) ? "gp_111_contacted" : "keyholder_contacted")
                : reason == "environmental" && rng.Chance(0.2) ? "other_emergency_service"
                : rng.Chance(0.8) ? "resolved_on_call" : "keyholder_contacted";
            var conveyed = ambulance && rng.Chance(0.6);
            var hour = rng.Next(24);
            var r = Row(Feed.Telecare);
            r.Set("client_id", p.TelecareClientId);
            r.Set("event_type", "CALL");
            r.Set("event_date", date);
            r.Set("event_time", $"{hour:D2}:{rng.Next(60):D2}");
            r.Set("trigger_device_type", device);
            r.Set("call_reason", reason);
            r.Set("call_outcome", outcome);
            r.Flag("responder_visit", responder || ambulance);
            r.Flag("ambulance_requested", ambulance);
            r.Flag("conveyed", conveyed);
            Commit(r, _world.LaFor(p), NextId(Feed.Telecare, "T"), p, date, m);
            if (conveyed)
            {
                _conveyed++;
                var admitted = rng.Chance(0.35);
                Ae(p, date, m, ref rng, ambulance: true, admitted);
                if (admitted)
                {
                    Admission(p, date, m, ref rng, emergency: true, viaAe: true, diedOn: null);
                }
            }
        }

        // ---------------------------------------------------------------- intervention

        private void Refer(Person p, DateOnly date, int m, ref Rng rng)
        {
            _referrals++;
            p.ReferralId = NextId(Feed.Intervention, "SP");
            p.InterventionReferral = date;
            if (rng.Chance(_o.Intervention.StartProbability))
            {
                _starts++;
                var start = date.AddDays(rng.Between(7, 35));
                p.InterventionStart = start;
                var startMonth = (start.Year - Start.Year) * 12 + start.Month - Start.Month;
                p.EffectFrom = startMonth + 1;
                p.EffectUntil = startMonth + _o.Intervention.EffectMonths;
            }

            InterventionRow(p, m, firstSending: true);
        }

        private void InterventionRow(Person p, int m, bool firstSending)
        {
            var r = Row(Feed.Intervention);
            r.Set("programme_code", "SP");
            r.Set("referral_source", ((p.Conditions >> Health.Depression) & 1) == 1 ? "GP" : (p.Key % 5) switch { 0 => "SELF", 1 => "ASC", 2 => "VCS", _ => "GP" });
            r.Set("referral_date", p.InterventionReferral);
            var started = p.EffectFrom != int.MaxValue && p.InterventionStart <= MonthEnd(m);
            r.Set("start_date", started ? p.InterventionStart : null);
            r.Set("sessions_attended", started ? 1 : 0);
            Commit(r, World.SocialPrescriber, p.ReferralId!, p, p.InterventionReferral, m, firstSending);
        }
    }
}
