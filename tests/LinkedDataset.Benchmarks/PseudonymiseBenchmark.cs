using System.Diagnostics;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;

namespace LinkedDataset.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/LinkedDataset.Benchmarks -- pseudonymise ROWS</c>: writes an
/// identifiable apc extract of ROWS rows (one distinct person per row, so the token cache never
/// helps), pseudonymises it at source, and prints rows/s and the process's peak working set. Run with
/// two sizes: a streaming tool's peak does not grow with the file.
/// </summary>
public static class PseudonymiseBenchmark
{
    public static void Run(long rows)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ldp-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var input = Path.Combine(folder, "apc_RVV_2025-04.csv");
            using (var writer = new StreamWriter(input))
            {
                writer.Write("apcs_ident,provider_code,admission_date,discharge_date,admission_method,patient_classification,primary_diagnosis,treatment_function_code,nhs_number,given_name,family_name,date_of_birth,sex,postcode,uprn\n");
                for (long i = 0; i < rows; i++)
                {
                    writer.Write($"S{i},RVV,2025-04-02,2025-04-05,21,1,I214,300,{4000000000 + i * 10},Given{i % 5000},Family{i},19{40 + i % 60}-0{1 + i % 9}-1{i % 9},{1 + i % 2},CT{1 + i % 20} {i % 10}AA,{100000000000 + i}\n");
                }
            }

            var key = PseudonymKey.FromBytes(Enumerable.Repeat((byte)5, 32).ToArray());
            var clock = Stopwatch.StartNew();
            var result = new SourcePseudonymiser(FeedSchemaLoader.LoadAll()).Run(new SourcePseudonymiseOptions("apc", input, Path.Combine(folder, "out.csv"), key));
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(
                $"pseudonymise: {result.Rows:N0} rows ({new FileInfo(input).Length / 1e6:F0} MB in) in {clock.Elapsed.TotalSeconds:F1}s = {result.Rows / clock.Elapsed.TotalSeconds:N0} rows/s; " +
                $"peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; managed heap now {GC.GetTotalMemory(false) / 1e6:F0} MB");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
