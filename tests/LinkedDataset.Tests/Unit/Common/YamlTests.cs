using FluentAssertions;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Linkage.Probabilistic;
using LinkedDataset.Pipeline.Quality;
using LinkedDataset.Synthetic;
using LinkedDataset.Tests.Support;
using Xunit;

namespace LinkedDataset.Tests.Unit.Common;

public sealed class YamlTests
{
    private sealed record Rule(string Name, double Weight, List<string>? Fixes = null);

    private sealed record Settings(string Title, IReadOnlyList<Rule> Rules, int Iterations = 10, FeedForm Form = FeedForm.Identifiable, Dictionary<string, int>? Limits = null);

    private sealed class Mutable
    {
        public required string Where { get; init; }
        public string? Description { get; set; }
        public DateOnly? From { get; set; }
    }

    [Fact]
    public void Parse_BindsPositionalRecordsListsDictionariesEnumsAndDefaults()
    {
        var settings = Yaml.Parse<Settings>(
            """
            title: Linkage
            rules:
              - name: dob
                weight: 2.5
                fixes: [dob, given_name]
              - { name: postcode, weight: -1 }
            form: pseudonymised
            limits: { a: 1, b: 2 }
            """);

        settings.Title.Should().Be("Linkage");
        settings.Rules.Should().HaveCount(2);
        settings.Rules[0].Should().BeEquivalentTo(new { Name = "dob", Weight = 2.5, Fixes = new[] { "dob", "given_name" } });
        settings.Rules[1].Fixes.Should().BeNull();
        settings.Rules[1].Weight.Should().Be(-1);
        settings.Iterations.Should().Be(10, "not given: the default");
        settings.Form.Should().Be(FeedForm.Pseudonymised);
        settings.Limits.Should().Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });
    }

    [Fact]
    public void Parse_BindsClassesWithRequiredAndInitProperties()
    {
        var shape = Yaml.Parse<Mutable>("where: \"age > 65\"\nfrom: 2025-04-01\n");

        shape.Where.Should().Be("age > 65");
        shape.From.Should().Be(new DateOnly(2025, 4, 1));
        shape.Description.Should().BeNull();
    }

    [Fact]
    public void UnknownField_NamesFileLineFieldAndTheAllowedOnes()
    {
        var act = () => Yaml.Parse<Settings>("title: x\nrules: []\niteratons: 5\n", "linkage.yaml");

        act.Should().Throw<PipelineException>().WithMessage(
            "linkage.yaml: line 3, field 'iteratons' is not a known field; allowed: title, rules, iterations, form, limits.");
    }

    [Fact]
    public void UnknownField_InsideAListItem_NamesThePathWithTheIndex()
    {
        var act = () => Yaml.Parse<Settings>("title: x\nrules:\n  - name: a\n    weight: 1\n  - name: b\n    wieght: 2\n", "s.yaml");

        act.Should().Throw<PipelineException>().WithMessage("s.yaml: line 6, field 'rules[1].wieght' is not a known field; allowed: name, weight, fixes.");
    }

    [Theory]
    [InlineData("title: x\nrules: []\niterations: many\n", "s.yaml: line 3, field 'iterations' needs a whole number, got 'many'.")]
    [InlineData("title: x\nrules: []\niterations: 2.5\n", "s.yaml: line 3, field 'iterations' needs a whole number, got '2.5'.")]
    [InlineData("title: x\nrules:\n  - name: a\n    weight: heavy\n", "s.yaml: line 4, field 'rules[0].weight' needs a number, got 'heavy'.")]
    [InlineData("title: x\nrules: dob\n", "s.yaml: line 2, field 'rules' needs a list, got 'dob'.")]
    [InlineData("title: [a, b]\nrules: []\n", "s.yaml: line 1, field 'title' needs text, got a list.")]
    [InlineData("title: x\nrules: []\nform: paper\n", "s.yaml: line 3, field 'form' is 'paper'; allowed: identifiable, pseudonymised.")]
    [InlineData("title: x\nrules: []\nlimits: { a: one }\n", "s.yaml: line 3, field 'limits.a' needs a whole number, got 'one'.")]
    public void WrongType_NamesFileLineFieldAndWhatIsNeeded(string yaml, string message)
    {
        var act = () => Yaml.Parse<Settings>(yaml, "s.yaml");

        act.Should().Throw<PipelineException>().WithMessage(message);
    }

    [Fact]
    public void MissingRequired_NamesTheFieldAndTheMappingItBelongsIn()
    {
        var record = () => Yaml.Parse<Settings>("rules:\n  - name: a\n", "s.yaml");
        var nested = () => Yaml.Parse<Settings>("title: x\nrules:\n  - name: a\n", "s.yaml");
        var requiredProperty = () => Yaml.Parse<Mutable>("description: all\n", "cohort.yaml");
        var emptyFile = () => Yaml.Parse<Mutable>("", "cohort.yaml");

        record.Should().Throw<PipelineException>().WithMessage("s.yaml: line 1, field 'title' is required but missing.");
        nested.Should().Throw<PipelineException>().WithMessage("s.yaml: line 3, field 'rules[0].weight' is required but missing.");
        requiredProperty.Should().Throw<PipelineException>().WithMessage("cohort.yaml: line 1, field 'where' is required but missing.");
        emptyFile.Should().Throw<PipelineException>().WithMessage("cohort.yaml: line 1, field 'where' is required but missing.");
    }

    [Fact]
    public void DuplicateKeyAndBadSyntax_AreReportedWithTheirLine()
    {
        var duplicate = () => Yaml.Parse<Settings>("title: x\nrules: []\ntitle: y\n", "s.yaml");
        var syntax = () => Yaml.Parse<Settings>("title: x\nrules: [a, b\n", "s.yaml");

        duplicate.Should().Throw<PipelineException>().WithMessage("s.yaml: line 3*title*");
        syntax.Should().Throw<PipelineException>().WithMessage("s.yaml: line *not valid YAML*");
    }

    [Fact]
    public void Load_NamesAMissingFile()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("nope.yaml");

        var act = () => Yaml.Load<Settings>(path);

        act.Should().Throw<PipelineException>().WithMessage($"{path}: file not found.");
    }

    [Fact]
    public void ShippedLoaders_ReportThroughTheOneLoader()
    {
        // A thresholds file with a misspelt field and a cost field without its column: each names the file and line.
        using var folder = new TempFolder();
        var misspelt = folder.Combine("misspelt.yaml");
        File.WriteAllText(misspelt, "completeness_min: 0.9\nlink_rate_mn: 0.8\n");
        var noColumn = folder.Combine("nocolumn.yaml");
        File.WriteAllText(noColumn, "cost_fields:\n  social_care:\n    when: \"x\"\n");

        FluentActions.Invoking(() => DqThresholds.Load(misspelt)).Should().Throw<PipelineException>()
            .WithMessage($"{misspelt}: line 2, field 'link_rate_mn' is not a known field; allowed: *link_rate_min*");
        FluentActions.Invoking(() => DqThresholds.Load(noColumn)).Should().Throw<PipelineException>()
            .WithMessage($"{noColumn}: line 3, field 'cost_fields.social_care.column' is required but missing.");
    }

    [Fact]
    public void Overlay_AFieldLeftOutKeepsTheCallersValue_AtAnyDepth()
    {
        // Scenario: only faults.duplicate_row and people given; every other fault keeps FaultRates.Default.
        using var folder = new TempFolder();
        var path = folder.Combine("scenario.yaml");
        File.WriteAllText(path, "people: 2000\nfaults:\n  duplicate_row: 0.05\n");

        var options = SyntheticOptions.FromScenarioFile(path);

        options.People.Should().Be(2000);
        options.Months.Should().Be(new SyntheticOptions().Months);
        options.Faults.Should().Be(FaultRates.Default with { DuplicateRow = 0.05 });
        options.Intervention.Should().Be(new InterventionParameters());

        File.WriteAllText(path, "faults:\n  duplicate_rows: 0.05\n");
        FluentActions.Invoking(() => SyntheticOptions.FromScenarioFile(path)).Should().Throw<PipelineException>()
            .WithMessage($"{path}: line 2, field 'faults.duplicate_rows' is not a known field; allowed: missing_nhs_number, *, duplicate_row, *");
    }

    [Fact]
    public void ShippedFiles_LoadThroughTheOneLoader()
    {
        var schemas = Path.Combine(RepoPaths.Root, "schemas");

        LinkageSettings.Load(Path.Combine(schemas, "linkage", LinkageSettings.FileName)).BlockingRules.Should().NotBeEmpty().And.OnlyContain(r => r.Name.Length > 0 && r.Sql.Length > 0);
        LinkageSettings.Load(Path.Combine(schemas, "linkage", LinkageSettings.FileName)).USamplePeople.Should().Be(2000);
        FeedForms.Load(Path.Combine(schemas, FeedForms.FileName)).FormOf("apc").Should().Be(FeedForm.Identifiable);
        DqThresholds.Load(Path.Combine(schemas, "dq_thresholds.yaml")).KeyFieldsOf("apc").Should().Contain("spell_core_hrg");
        FeedSchemaLoader.LoadAll(Path.Combine(schemas, "feeds")).Should().HaveCount(10);
    }

    [Fact]
    public void LoadFields_ACheckMadeAfterReading_NamesFileLineAndField()
    {
        // "from" is on line 4 of the file; the check (from after to) can only be made once both are read.
        using var folder = new TempFolder();
        var path = folder.Combine("m.measure.yaml");
        File.WriteAllText(path, "name: m\nintervals:\n  unit: month\n  from: 2025-04-01\n  to: 2024-03-31\n");

        var from = Yaml.LoadFields(path).Required("intervals").Required("from");

        from.Error("is after 'to'.").Message.Should().Be("m.measure.yaml: line 4: intervals.from: is after 'to'.");
    }

    [Fact]
    public void LoadFields_SharesTheLoadersErrors_ForAMissingFileAndBrokenYaml()
    {
        using var folder = new TempFolder();
        var missing = folder.Combine("none.cohort.yaml");
        var broken = folder.Combine("broken.cohort.yaml");
        File.WriteAllText(broken, "name: [unclosed\n");

        ((Action)(() => Yaml.LoadFields(missing))).Should().Throw<PipelineException>().WithMessage($"{missing}: file not found.");
        ((Action)(() => Yaml.LoadFields(broken))).Should().Throw<PipelineException>().WithMessage("broken.cohort.yaml: line *not valid YAML*");
    }
}
