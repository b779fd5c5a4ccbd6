using System.Text.RegularExpressions;
using FluentAssertions;

namespace LinkedDataset.Tests.Unit.Docs;

/// <summary>Every relative link in README.md and docs/*.md points at a file that exists, and at a heading that exists when it names one.</summary>
public sealed partial class DocLinksTests
{
    public static IEnumerable<object[]> Pages() =>
        new[] { Path.Combine(RepoPaths.Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md"))
            .Select(p => new object[] { Path.GetRelativePath(RepoPaths.Root, p) });

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRelativeLink_Resolves(string page)
    {
        var path = Path.Combine(RepoPaths.Root, page);
        var broken = new List<string>();
        foreach (Match link in Link().Matches(File.ReadAllText(path)))
        {
            var target = link.Groups[1].Value;
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Headings(resolved).Contains(anchor))
            {
                broken.Add($"{target}: no heading '{anchor}' in {Path.GetFileName(resolved)}");
            }
        }

        broken.Should().BeEmpty($"every relative link in {page} must resolve");
    }

    [Fact]
    public void Readme_StaysAnIntroduction_UnderTenKilobytes() =>
        new FileInfo(Path.Combine(RepoPaths.Root, "README.md")).Length.Should().BeLessThanOrEqualTo(10 * 1024);

    [Fact]
    public void Slug_FollowsGitHubHeadingAnchors() =>
        Slug("Scheduled jobs and scale-out (`ldp serve`)").Should().Be("scheduled-jobs-and-scale-out-ldp-serve");

    private static HashSet<string> Headings(string markdown) =>
        File.ReadLines(markdown).Where(l => l.StartsWith('#')).Select(l => Slug(l.TrimStart('#').Trim())).ToHashSet(StringComparer.Ordinal);

    // GitHub: lower case, drop punctuation except '-' and '_', spaces to '-'.
    private static string Slug(string heading) =>
        NotSlug().Replace(heading.ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^\p{L}\p{Nd} _-]")]
    private static partial Regex NotSlug();
}
