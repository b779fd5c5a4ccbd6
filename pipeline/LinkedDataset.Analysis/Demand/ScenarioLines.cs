using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LinkedDataset.Analysis.Demand;

/// <summary>
/// Finds the line of a field path such as <c>avoidance[1].share</c> in a YAML text, so an error found after the
/// file is bound (an unknown setting, an interval the wrong way round) still names its line.
/// </summary>
internal sealed class ScenarioLines
{
    private readonly YamlNode? root;

    public ScenarioLines(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException)
        {
            root = null; // the loader has already reported unparseable YAML
        }
    }

    /// <summary>Line of <paramref name="path"/>, or of its nearest parent that exists (1 when none does).</summary>
    public long LineOf(string path)
    {
        var node = root;
        var line = node?.Start.Line ?? 1;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            var index = -1;
            var bracket = part.IndexOf('[');
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..part.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture);
            }

            if (node is YamlMappingNode mapping && mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == name) is { Key: not null } entry)
            {
                line = entry.Key.Start.Line;
                node = entry.Value;
            }
            else
            {
                return line;
            }

            if (index >= 0)
            {
                if (node is YamlSequenceNode sequence && index < sequence.Children.Count)
                {
                    node = sequence.Children[index];
                    line = node.Start.Line;
                }
                else
                {
                    return line;
                }
            }
        }

        return line;
    }
}
