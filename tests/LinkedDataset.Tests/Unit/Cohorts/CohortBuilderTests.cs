using FluentAssertions;
using LinkedDataset.Analysis.Cohorts;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Tests.Support;
using LinkedDataset.Tests.Unit.Marts;

namespace LinkedDataset.Tests.Unit.Cohorts;

public class CohortBuilderTests
{
    private static readonly DataWindow Data = new(new DateOnly(2024, 4, 1), new DateOnly(2026, 3, 31));
    private const string Falls = "161898004"; // "Falls", in the falls codelist
    private const string Telecare = "person_id, provider_code, tec_event_id, event_type, event_date, call_reason";

    [Fact]
    public void Attrition_CountsPeopleAndEvents_AfterEachRule_AndEachRuleAlone_WhenRulesOverlap()
    {
        // Index: every telecare alarm call in the period (candidate index events). Rules:
        //   R1 include: a GP falls code in the 90 days before the call; R2 include: the call itself was a fall.
        // Person 1: calls 10 Jan (fall) and 10 Feb (medical), falls code 1 Dec: e1 passes both; e2 passes R1 (71 days), fails R2.
        // Person 2: call 10 Jan (fall), no code: fails R1, passes R2 (overlap: removed at R1 only).
        // Person 3: calls 10 Jan and 1 Mar (medical), falls code 20 Dec: both pass R1, fail R2.
        // Person 4: call 10 Jan (medical), no code: fails both (counted once, at R1).
        // Step 0: 4 people, 6 events. After R1: e1, e2, e4, e5 = 4 events of people 1 and 3 (2).
        // After R2: e1 = 1 event, 1 person. Alone: R1 4 events / 2 people; R2 e1, e3 = 2 events / people 1 and 2.
        using var t = new MartTestDb().Person(1, "1940-01").Person(2, "1940-01").Person(3, "1940-01").Person(4, "1940-01")
            .Code(1, Falls, "2024-12-01").Code(3, Falls, "2024-12-20")
            .Insert("telecare", Telecare,
                "(1, 'T', 'C1', 'CALL', DATE '2025-01-10', 'fall')", "(1, 'T', 'C2', 'CALL', DATE '2025-02-10', 'medical')",
                "(2, 'T', 'C3', 'CALL', DATE '2025-01-10', 'fall')",
                "(3, 'T', 'C4', 'CALL', DATE '2025-01-10', 'medical')", "(3, 'T', 'C5', 'CALL', DATE '2025-03-01', 'medical')",
                "(4, 'T', 'C6', 'CALL', DATE '2025-01-10', 'medical')")
            .Build();
        using var folder = new TempFolder();
        var file = Write(folder, "calls.cohort.yaml", """
            name: calls
            population: { registered_between: { from: 2024-04-01, to: 2026-03-31 } }
            index:
              first: { event: { feed: telecare, match: { event_type: CALL } } }
              between: { from: 2024-04-01, to: 2026-03-31 }
            rules:
              - name: falls code in the 90 days before
                include: { codes: { codelist: falls }, window: { from: -90, to: -1 } }
              - name: the call was a fall
                include: { event: { feed: telecare, match: { call_reason: fall } }, window: { from: 0, to: 0 } }
            """);

        var build = CohortBuilder.Build(t.Db, CohortParser.Load(file), Data);

        build.Attrition.Select(a => (a.Step, a.People, a.Events)).Should().Equal((0, 4L, 6L), (1, 2L, 4L), (2, 1L, 1L));
        build.Attrition.Skip(1).Select(a => (a.PeoplePassingAlone, a.EventsPassingAlone)).Should().Equal((2L, 4L), (2L, 2L));
        build.People.Should().Be(1);
        t.One<DateTime>("SELECT CAST(index_date AS TIMESTAMP) FROM ch_cohort WHERE person_id = 1").Should().Be(new DateTime(2025, 1, 10));
    }

    [Fact]
    public void ShippedCohortTest_Passes_WithNinePeople_IncludingTheDay365And366Boundary()
    {
        // The sidecar's person 1 has admissions on day -365 and day -1 (in); person 2 on day -366 and day -80 (out).
        var result = CohortTester.Run(Path.Combine(ProjectPaths.SchemasRoot, "cohorts", "frail-75-plus-emergency.test.yaml"));

        result.Differences.Should().BeEmpty();
        result.People.Should().BeGreaterThanOrEqualTo(8);
    }

    [Fact]
    public void CohortTest_WithAWrongExpectation_NamesThePersonAndTheRule()
    {
        using var folder = new TempFolder();
        var shipped = File.ReadAllText(Path.Combine(ProjectPaths.SchemasRoot, "cohorts", "frail-75-plus-emergency.test.yaml"))
            .Replace("cohort: frail-75-plus-emergency.cohort.yaml", "cohort: " + Path.Combine(ProjectPaths.SchemasRoot, "cohorts", "frail-75-plus-emergency.cohort.yaml"))
            .Replace("expect: { in_cohort: false, excluded_by: 'no care home' }", "expect: { in_cohort: true }");
        var file = Write(folder, "wrong.test.yaml", shipped);

        var result = CohortTester.Run(file);

        result.Passed.Should().BeFalse();
        result.Differences.Select(d => d.Message).Should().Equal("person 3: expected in cohort, was excluded by rule 'no care home'");
    }

    [Fact]
    public void BadDefinition_NamesFileLineAndField()
    {
        using var folder = new TempFolder();
        var file = Write(folder, "bad.cohort.yaml", """
            name: bad
            population: { registered_on: 2025-04-01 }
            index: { date: 2025-04-01 }
            rules:
              - name: admitted
                include:
                  activity: { setting: apc_emergency }
                  at_least: two
                  window: { from: -365, to: -1 }
            """);

        var act = () => CohortParser.Load(file);

        act.Should().Throw<PipelineException>().WithMessage("bad.cohort.yaml: line 8: rules[1].include.at_least: 'two' is not a whole number.");
    }

    internal static string Write(TempFolder folder, string name, string text)
    {
        var path = folder.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
