using System.Text;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>What <see cref="CsvFileCheck"/> found out about a file's shape (never its contents).</summary>
public sealed record CsvFileShape(IReadOnlyList<string> Header, long DataRecords, bool EndsWithNewline, bool HasUtf8Bom, long Bytes)
{
    /// <summary>Warnings that do not refuse the file: they go in the staging report.</summary>
    public IReadOnlyList<string> Warnings(string fileName)
    {
        var warnings = new List<string>();
        if (DataRecords == 0)
        {
            warnings.Add($"{fileName}: header only, 0 data rows (staged as an empty delivery; the DQ matrix shows its volume).");
        }
        else if (!EndsWithNewline)
        {
            warnings.Add($"{fileName}: no newline at the end of the file; the last row (row {DataRecords}) has every column, so it was read, but check the file was not cut short.");
        }

        if (HasUtf8Bom)
        {
            warnings.Add($"{fileName}: starts with a UTF-8 byte order mark (accepted).");
        }

        return warnings;
    }
}

/// <summary>
/// File-level checks before DuckDB reads an extract: one streaming pass over the bytes that checks
/// it is text (no NUL bytes, not a zip/spreadsheet), valid UTF-8, comma-delimited, with a header
/// of distinct non-blank names, the same number of fields on every row, and a last row that is
/// complete. Each failure is an <see cref="ExtractRefusedException"/> naming the file, the line and
/// what is wrong; never a value from the file, except header names (column names, not data).
/// </summary>
public static class CsvFileCheck
{
    private static readonly (char Delimiter, string Name)[] OtherDelimiters = [(';', "semicolon"), ('\t', "tab"), ('|', "pipe")];

    public static CsvFileShape Inspect(string path)
    {
        var fileName = Path.GetFileName(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = stream.Length;
        if (length == 0)
        {
            throw new ExtractRefusedException(FileReasons.EmptyFile, $"{fileName}: refused: the file is empty (0 bytes); a delivery with no rows still needs its header line. Ask the provider to resend it.");
        }

        var buffer = new byte[1 << 16];
        var read = stream.Read(buffer, 0, buffer.Length);
        var start = 0;
        var bom = false;
        if (read >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)))
        {
            throw new ExtractRefusedException(FileReasons.WrongEncoding, $"{fileName}: refused: the file is UTF-16 (byte order mark {buffer[0]:X2} {buffer[1]:X2}); extracts must be UTF-8. Ask the provider to save it as UTF-8 CSV.");
        }

        if (read >= 4 && buffer[0] == (byte)'P' && buffer[1] == (byte)'K' && buffer[2] == 3 && buffer[3] == 4)
        {
            throw new ExtractRefusedException(FileReasons.NotCsv, $"{fileName}: refused: not a CSV file: it is a zip archive (an .xlsx spreadsheet is one). Ask the provider to export it as comma-separated text.");
        }

        if (read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
        {
            bom = true;
            start = 3;
        }

        var header = new List<byte>();
        var headerDone = false;
        int? headerFields = null;
        long line = 1, records = 0, fields = 1, recordBytes = 0;
        var inQuotes = false;
        var utf8Pending = 0;
        var lastByte = (byte)0;
        List<string>? names = null;
        while (read > 0)
        {
            for (var i = start; i < read; i++)
            {
                var b = buffer[i];
                lastByte = b;
                if (b == 0)
                {
                    throw new ExtractRefusedException(FileReasons.NotCsv, $"{fileName}: refused: not a text CSV file: it holds binary data (a NUL byte on line {line}). Ask the provider to export it as comma-separated UTF-8 text.");
                }

                if (utf8Pending > 0)
                {
                    if ((b & 0xC0) != 0x80)
                    {
                        throw NotUtf8(fileName, line);
                    }

                    utf8Pending--;
                }
                else if (b >= 0x80)
                {
                    utf8Pending = b switch
                    {
                        >= 0xC2 and <= 0xDF => 1,
                        >= 0xE0 and <= 0xEF => 2,
                        >= 0xF0 and <= 0xF4 => 3,
                        _ => throw NotUtf8(fileName, line),
                    };
                }

                if (!headerDone && !(b == (byte)'\n' && !inQuotes))
                {
                    header.Add(b);
                }

                if (b == (byte)'"')
                {
                    inQuotes = !inQuotes;
                }
                else if (b == (byte)',' && !inQuotes)
                {
                    fields++;
                }
                else if (b == (byte)'\n')
                {
                    if (!inQuotes)
                    {
                        if (!headerDone)
                        {
                            headerDone = true;
                            headerFields = (int)fields;
                            names = HeaderNames(fileName, header);
                        }
                        else if (recordBytes > 0)
                        {
                            records++;
                            CheckFieldCount(fileName, line, fields, headerFields!.Value);
                        }

                        fields = 1;
                        recordBytes = -1;
                    }

                    line++;
                }

                if (b != (byte)'\r')
                {
                    recordBytes++;
                }
            }

            start = 0;
            read = stream.Read(buffer, 0, buffer.Length);
        }

        if (utf8Pending > 0)
        {
            throw NotUtf8(fileName, line);
        }

        var endsWithNewline = lastByte == (byte)'\n';
        if (inQuotes)
        {
            throw new ExtractRefusedException(FileReasons.TruncatedLastLine, $"{fileName}: refused: the file ends inside a quoted field (a quote opened on or before line {line} is never closed): it was probably cut short. Ask the provider to resend the whole file.");
        }

        if (!headerDone)
        {
            names = HeaderNames(fileName, header);
        }
        else if (!endsWithNewline && recordBytes > 0)
        {
            records++;
            if (fields < headerFields!.Value)
            {
                throw new ExtractRefusedException(FileReasons.TruncatedLastLine, $"{fileName}: refused: the last line (line {line}) is cut short: {fields} of {headerFields} fields and no newline at the end. Ask the provider to resend the whole file.");
            }

            CheckFieldCount(fileName, line, fields, headerFields.Value);
        }

        return new CsvFileShape(names!, records, endsWithNewline, bom, length);
    }

    private static List<string> HeaderNames(string fileName, List<byte> header)
    {
        var names = SplitHeader(Encoding.UTF8.GetString(header.ToArray()).TrimEnd('\r'));
        CheckHeaderNames(fileName, names);
        return names;
    }

    private static ExtractRefusedException NotUtf8(string fileName, long line) =>
        new(FileReasons.WrongEncoding, $"{fileName}: refused: not valid UTF-8 (first bad byte on line {line}); it may be Latin-1 or Windows-1252. Ask the provider to save it as UTF-8 CSV.");

    private static void CheckFieldCount(string fileName, long line, long fields, int expected)
    {
        if (fields != expected)
        {
            throw new ExtractRefusedException(FileReasons.RaggedRows, $"{fileName}: refused: line {line} has {fields} fields but the header has {expected}. Check the delimiter and quoting of that line, and ask the provider to resend the file.");
        }
    }

    private static void CheckHeaderNames(string fileName, IReadOnlyList<string> names)
    {
        if (names.Count == 1)
        {
            foreach (var (delimiter, name) in OtherDelimiters)
            {
                if (names[0].Contains(delimiter))
                {
                    throw new ExtractRefusedException(FileReasons.WrongDelimiter, $"{fileName}: refused: the header is separated by {name}s, not commas. Ask the provider to send comma-separated values.");
                }
            }
        }

        var blank = names.Select((n, i) => (n, i)).Where(x => x.n.Trim().Length == 0).Select(x => x.i + 1).ToList();
        if (blank.Count > 0 && names.Count > 1)
        {
            throw new ExtractRefusedException(FileReasons.BlankHeader, $"{fileName}: refused: header column(s) {string.Join(", ", blank)} have no name. Every column needs its schema name.");
        }

        var duplicates = names.GroupBy(n => n.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ExtractRefusedException(FileReasons.DuplicateHeader, $"{fileName}: refused: the header names column(s) more than once: {string.Join(", ", duplicates)}. Which copy holds the data is ambiguous; ask the provider to fix the header.");
        }
    }

    /// <summary>Header names, split on commas outside quotes, quotes removed.</summary>
    private static List<string> SplitHeader(string header)
    {
        var names = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < header.Length; i++)
        {
            var c = header[i];
            if (c == '"')
            {
                if (inQuotes && i + 1 < header.Length && header[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = !inQuotes;
                }
            }
            else if (c == ',' && !inQuotes)
            {
                names.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        names.Add(current.ToString());
        return names;
    }
}
