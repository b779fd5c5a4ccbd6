using LinkedDataset.Pipeline.Common;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LinkedDataset.Analysis.Demand;

// TEMPORARY: stands in for Common/Yaml.Load<T> (branch cli) until it is on main; then this file is deleted.
internal static class Yaml
{
    public static T Load<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: file not found.");
        }

        try
        {
            return new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<T>(File.ReadAllText(path)) ?? throw new PipelineException($"{path}: line 1: the file is empty.");
        }
        catch (YamlException e)
        {
            throw new PipelineException($"{path}: line {e.Start.Line}: {(e.InnerException ?? e).Message.Split('\n')[0]}");
        }
    }
}
