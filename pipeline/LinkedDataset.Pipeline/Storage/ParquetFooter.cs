using Parquet;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// What a Parquet file's footer says, read with Parquet.Net: the footer is a few kilobytes at the end
/// of the file, so counting a staged extract costs a seek, not a scan of its rows through DuckDB.
/// </summary>
public static class ParquetFooter
{
    /// <summary>Rows in <paramref name="path"/>, from its footer.</summary>
    public static long Rows(string path) => RowsAsync(path).GetAwaiter().GetResult();

    /// <summary>Rows in <paramref name="path"/>, from its footer.</summary>
    public static async Task<long> RowsAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        return reader.Metadata?.NumRows ?? throw new InvalidDataException($"{Path.GetFileName(path)} has no Parquet footer.");
    }
}
