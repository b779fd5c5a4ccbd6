using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Analysis.Cohorts;

/// <summary>Writes the released CSV files of cohort and measure reports (header row, one row per record, written atomically).</summary>
public static class ReportFiles
{
    /// <summary>Writes <paramref name="rows"/> under <paramref name="header"/> to <paramref name="path"/>.</summary>
    public static void WriteCsv(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) =>
        AtomicFile.Write(path, temporary =>
        {
            using var writer = new StreamWriter(temporary);
            CsvRecordWriter.Write(writer, header);
            foreach (var row in rows)
            {
                CsvRecordWriter.Write(writer, row);
            }
        });
}
