using System.CommandLine;
using LinkedDataset.Jobs.Commands;

var root = new RootCommand("ldp: the LinkedDataset pipeline. Builds a linked, pseudonymised whole-population health and care dataset from provider extracts and answers questions from it.")
{
    RunCommand.Create(),
    SynthCommand.Create(),
    PseudonymiseCommand.Create(), RekeyCommand.Create(), ExtractCommand.Create(),
    LinkageReportCommand.Create(),
};
return root.Parse(args).Invoke();
