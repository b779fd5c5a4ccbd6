using System.Text;

namespace LinkedDataset.Pipeline.Common;

/// <summary>
/// A streaming RFC 4180 CSV reader: comma-separated, fields optionally in double quotes with
/// <c>""</c> for a quote, line breaks allowed inside quotes, LF or CRLF line ends. Reads one record
/// at a time, so memory is bounded by the longest record, not the file. An empty field reads as
/// null (as DuckDB's <c>read_csv</c> does).
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder field = new();

    /// <summary>The physical line the last record started on (1 = the header), for messages.</summary>
    public long Line { get; private set; }

    private long nextLine = 1;

    /// <summary>Reads the next record into <paramref name="fields"/> (cleared first); false at the end of the file.</summary>
    /// <exception cref="PipelineException">A quoted field is not closed before the end of the file.</exception>
    public bool Read(List<string?> fields)
    {
        fields.Clear();
        Line = nextLine;
        var c = reader.Read();
        if (c == -1)
        {
            return false;
        }

        var quoted = false;
        var wasQuoted = false;
        field.Clear();
        while (true)
        {
            if (quoted)
            {
                if (c == -1)
                {
                    throw new PipelineException($"line {Line}: a quoted field is not closed before the end of the file.");
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        nextLine++;
                    }

                    field.Append((char)c);
                }
            }
            else if (c == '"' && field.Length == 0 && !wasQuoted)
            {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',')
            {
                EndField(fields);
                wasQuoted = false;
            }
            else if (c is '\n' or -1)
            {
                nextLine++;
                EndField(fields);
                return true;
            }
            else if (c == '\r' && reader.Peek() == '\n')
            {
                // CRLF: the LF ends the record.
            }
            else
            {
                field.Append((char)c);
            }

            c = reader.Read();
        }
    }

    private void EndField(List<string?> fields)
    {
        fields.Add(field.Length == 0 ? null : field.ToString());
        field.Clear();
    }
}

/// <summary>Writes CSV records, quoting only fields that need it (comma, quote, CR or LF); null is written as an empty field.</summary>
public static class CsvRecordWriter
{
    public static void Write(TextWriter writer, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var value = fields[i];
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                writer.Write(value);
            }
            else
            {
                writer.Write('"');
                writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
        }

        writer.Write('\n');
    }
}
