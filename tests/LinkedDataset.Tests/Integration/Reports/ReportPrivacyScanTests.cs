using FluentAssertions;

namespace LinkedDataset.Tests.Integration.Reports;

/// <summary>
/// The published report set (every capability's page and supporting files) and the notebooks' outputs of the
/// two-year dataset hold no identifier its extracts carried and no key material: the same scan as
/// <see cref="PrivacyScanTests"/>, on the outputs that moved to this dataset.
/// </summary>
[Collection(TwoYearCollection.Name)]
public class ReportPrivacyScanTests(TwoYearFixture run)
{
    [Fact]
    public void ReportsAndNotebookOutputs_HoldNoIdentifierAndNoKeyMaterial()
    {
        _ = run.ReportsJobMessage;
        var identifiers = PrivacyScanTests.Identifiers(run.Layout.Landing, out var dates);
        var key = File.ReadAllBytes(run.KeyFile);
        var keyForms = new[] { Convert.ToHexStringLower(key), Convert.ToHexString(key), Convert.ToBase64String(key) };
        // Notebook outputs are there when the notebook tests ran first; the report set always is.
        var files = new[] { run.Layout.Reports(run.SnapshotId), Path.Combine(run.Layout.Root, "notebooks") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            // PNG charts are compressed pixels (their text is in the SVG and HTML beside them, which are scanned).
            .Where(f => !f.EndsWith(".png", StringComparison.Ordinal))
            .ToList();
        files.Should().Contain(f => f.EndsWith("evaluation_social_prescribing.html", StringComparison.Ordinal));

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var words = PrivacyScanTests.Words().Matches(text).Select(m => m.Value).ToHashSet();
            words.Where(w => identifiers.Contains(w) || dates.Contains(w)).Should().BeEmpty($"{file} must hold counts and ids only");
            keyForms.Should().NotContain(k => text.Contains(k, StringComparison.Ordinal), $"{file} must not hold the key");
        }
    }
}
