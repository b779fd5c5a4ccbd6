using FluentAssertions;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Staging;
using LinkedDataset.Pipeline.Storage;
using LinkedDataset.Tests.Support;

namespace LinkedDataset.Tests.Unit.Staging;

public class StagingSessionTests
{
    // Three apc extracts a worker stages one after another in one reused DuckDB:
    //  RVV: S1 valid → staged with a token; S3 no admission date → quarantined; S6 NHS number fails Modulus 11 → staged, no token
    //  RXX: header without the required columns → refused (the file fails; nothing of it may linger)
    //  RWF: S7 valid, another person and postcode → staged
    // Each must come out exactly as when staged alone in a DuckDB of its own: the same bytes of staged and
    // quarantine Parquet and the same report (but its seconds).
    private static readonly (string Provider, string[] Lines)[] Extracts =
    [
        ("RVV", [
            TestQueries.ApcHeader,
            "S1,RVV,2025-04-02,2025-04-05,21,1,I214,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,100000000001",
            "S3,RVV,,2025-04-12,21,1,J189,300,9434765919,Ann,Example,1950-06-15,2,CT1 1AA,",
            "S6,RVV,2025-04-20,2025-04-22,22,1,J440,300,9434765918,Bob,Sample,1949-01-02,1,ME1 1AA,",
        ]),
        ("RXX", ["apcs_ident,provider_code,admission_date", "S1,RXX,2025-04-02"]),
        ("RWF", [
            TestQueries.ApcHeader,
            "S7,RWF,2025-04-08,2025-04-09,11,1,K359,100,,Cat,Other,1961-11-30,2,ME14 1XX,",
        ]),
    ];

    [Fact]
    public void Stage_InOneSession_WritesEachExtract_ExactlyAsStagedAlone()
    {
        using var shared = new TempFolder();
        using var alone = new TempFolder();
        var stager = new ExtractStager(FeedSchemaLoader.LoadAll());
        var (sharedLayout, sharedExtracts) = Land(shared);
        var (aloneLayout, aloneExtracts) = Land(alone);

        var sharedOptions = new StagingOptions(sharedLayout, TestKeys.Write(shared));
        using (var session = new StagingSession())
        {
            foreach (var extract in sharedExtracts)
            {
                stager.Stage(extract, sharedOptions, session);
            }
        }

        var aloneOptions = new StagingOptions(aloneLayout, TestKeys.Write(alone));
        var reports = aloneExtracts.Select(e => stager.Stage(e, aloneOptions)).ToList();

        reports.Select(r => (r.Provider, r.Status, r.RowsStaged, r.RowsQuarantined, r.RowsWithPersonToken)).Should().Equal(
            ("RVV", StagingReport.Staged, 2L, 1L, 1L), ("RXX", StagingReport.Failed, 0L, 0L, 0L), ("RWF", StagingReport.Staged, 1L, 0L, 0L));
        foreach (var (s, a) in sharedExtracts.Zip(aloneExtracts))
        {
            ExtractStager.TryReadReport(sharedLayout.StagingReport("apc", s.ExtractId)).Should()
                .BeEquivalentTo(ExtractStager.TryReadReport(aloneLayout.StagingReport("apc", a.ExtractId)), o => o.Excluding(r => r!.Seconds));
            foreach (var file in new Func<DatasetLayout, string, string>[] { (l, id) => l.StagedFile("apc", id), (l, id) => l.QuarantineFile("apc", id) })
            {
                var (sharedFile, aloneFile) = (file(sharedLayout, s.ExtractId), file(aloneLayout, a.ExtractId));
                File.Exists(sharedFile).Should().Be(File.Exists(aloneFile), sharedFile);
                if (File.Exists(aloneFile))
                {
                    File.ReadAllBytes(sharedFile).Should().Equal(File.ReadAllBytes(aloneFile), sharedFile);
                }
            }
        }
    }

    private static (DatasetLayout Layout, List<LandedExtract> Extracts) Land(TempFolder folder)
    {
        var layout = new DatasetLayout(folder.Path);
        Directory.CreateDirectory(layout.LandingFeed("apc"));
        var extracts = Extracts.Select(e =>
        {
            var path = Path.Combine(layout.LandingFeed("apc"), $"apc_{e.Provider}_2025-04.csv");
            File.WriteAllText(path, string.Join("\n", e.Lines) + "\n");
            return LandingScanner.Describe("apc", path);
        }).ToList();
        return (layout, extracts);
    }
}
