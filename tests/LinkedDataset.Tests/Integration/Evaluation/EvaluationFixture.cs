using System.Diagnostics;
using LinkedDataset.Analysis.Evaluation;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Integration.Evaluation;

/// <summary>
/// Six synthetic populations (seeds 1–3 with the default true effects, A&amp;E rate ratio 0.8 and GP 0.85, and the
/// same seeds with no effect), each 3,000 people over 30 months with a high referral rate (200 per 1,000 adults a year, so a
/// few hundred people start), evaluated once each with the shipped spec's design and shorter windows.
/// </summary>
public sealed class EvaluationFixture : IDisposable
{
    private readonly TempFolder folder = new();

    public EvaluationFixture()
    {
        var clock = Stopwatch.StartNew();
        foreach (var seed in Seeds)
        {
            Results[seed] = Run(seed, effect: true);
            NullResults[seed] = Run(seed, effect: false);
        }

        Elapsed = clock.Elapsed;
    }

    /// <summary>The shipped spec's windows (a 6-month pre-period before the crisis, a 6-month post-period after it), so the test validates them.</summary>
    public static EvaluationSpec Spec { get; } = new()
    {
        Name = "Social prescribing (synthetic, test)",
        Windows = EvaluationSpecFile.Load(Path.Combine(RepoPaths.Root, "schemas", "evaluations", "social_prescribing.yaml")).Windows,
        Covariates = ["age", "female", "imd_quintile", "prior_ae_attendances", "prior_gp_appointments", "prior_emergency_admissions", "prior_outpatient_attendances"],
        Outcomes = ["ae_attendances", "gp_appointments"],
        NegativeControl = "outpatient_attendances",
        Matching = new MatchingOptions(Ratio: 3, CaliperSd: 0.2, Replacement: true),
        ExactOn = ["sex", "age_band"],
        Replicates = 200,
    };

    public static ulong[] Seeds { get; } = [1, 2, 3];

    /// <summary>With the injected effects.</summary>
    public Dictionary<ulong, EvaluationResult> Results { get; } = [];

    /// <summary>The same seeds with no effect (rate ratios 1).</summary>
    public Dictionary<ulong, EvaluationResult> NullResults { get; } = [];

    public TimeSpan Elapsed { get; }

    private EvaluationResult Run(ulong seed, bool effect)
    {
        var landing = folder.Combine($"seed{seed}-{effect}", "landing");
        var truth = folder.Combine($"seed{seed}-{effect}", "truth");
        SyntheticGenerator.Generate(new SyntheticOptions
        {
            People = 3_000,
            Months = 30,
            Seed = seed,
            Faults = FaultRates.None,
            OutputFolder = landing,
            TruthFolder = truth,
            Intervention = new InterventionParameters
            {
                ReferralRatePer1000Adults = 200,
                AeRateRatio = effect ? 0.8 : 1.0,
                GpRateRatio = effect ? 0.85 : 1.0,
            },
        });
        using var db = DuckDb.OpenInMemory();
        GeneratorTables.CreateViews(db, landing, truth);
        return Evaluator.Evaluate(db, Spec, $"generator seed {seed}", hasPersonYear: false);
    }

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EvaluationCollection : ICollectionFixture<EvaluationFixture>
{
    public const string Name = "evaluation on synthetic seeds";
}
