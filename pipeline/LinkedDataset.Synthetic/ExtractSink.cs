using System.Globalization;
using System.Text;
using LinkedDataset.Pipeline.Feeds;

namespace LinkedDataset.Synthetic;

/// <summary>A feed's column order, taken from its schema; filling any other column is an error.</summary>
internal sealed class FeedLayout
{
    private readonly Dictionary<string, int> _index;

    public FeedLayout(int feedIndex, FeedSchema schema)
    {
        FeedIndex = feedIndex;
        Schema = schema;
        Columns = schema.Columns.Select(c => c.Name).ToArray();
        _index = Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        Header = string.Join(',', Columns);
        RecordId = this[schema.RecordId];
        ProviderCode = this["provider_code"];
        HasIdentity = schema.IdentityColumns.Any();
        if (HasIdentity)
        {
            Nhs = this["nhs_number"];
            Given = this["given_name"];
            Family = this["family_name"];
            Dob = this["date_of_birth"];
            Sex = this["sex"];
            Postcode = this["postcode"];
            Uprn = this["uprn"];
        }
    }

    public int FeedIndex { get; }
    public FeedSchema Schema { get; }
    public string Feed => Schema.Feed;
    public string[] Columns { get; }
    public string Header { get; }
    public int RecordId { get; }
    public int ProviderCode { get; }
    public bool HasIdentity { get; }
    public int Nhs { get; }
    public int Given { get; }
    public int Family { get; }
    public int Dob { get; }
    public int Sex { get; }
    public int Postcode { get; }
    public int Uprn { get; }

    public int this[string column] =>
        _index.TryGetValue(column, out var i)
            ? i
            : throw new PipelineSchemaException($"The synthetic generator filled column '{column}', which feed '{Feed}' does not declare in schemas/feeds/{Feed}.yaml.");
}

/// <summary>One row being filled; reused for every row of its feed.</summary>
internal sealed class FeedRow(FeedLayout layout)
{
    public FeedLayout Layout { get; } = layout;
    public string?[] Values { get; } = new string?[layout.Columns.Length];

    public FeedRow Set(string column, string? value)
    {
        Values[Layout[column]] = value;
        return this;
    }

    public FeedRow Set(string column, DateOnly? value) => Set(column, value is { } d ? Csv.Date(d) : null);

    public FeedRow Set(string column, int value) => Set(column, value.ToString(CultureInfo.InvariantCulture));

    public FeedRow Set(string column, decimal value) => Set(column, value.ToString("0.00", CultureInfo.InvariantCulture));

    public FeedRow Flag(string column, bool value) => Set(column, value ? "Y" : "N");

    public void Clear() => Array.Clear(Values);
}

internal static class Csv
{
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static void AppendField(StringBuilder sb, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            sb.Append(value);
            return;
        }

        sb.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }

    public static string Line(IEnumerable<string?> values)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var v in values)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            AppendField(sb, v);
        }

        return sb.ToString();
    }

    public static StreamWriter Create(string path, string header)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var w = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { NewLine = "\n" };
        w.Write(header);
        w.Write('\n');
        return w;
    }
}

/// <summary>
/// Writes extract rows to <c>OUT/&lt;feed&gt;/&lt;feed&gt;_&lt;provider&gt;_&lt;YYYY-MM&gt;.csv</c>: files of the current
/// month are open; rows for a later month (late-arriving records) wait in memory until that month.
/// Every provider of a feed gets a file every month, header only when it has no rows.
/// </summary>
internal sealed class ExtractSink : IDisposable
{
    private readonly string _folder;
    private readonly IReadOnlyList<FeedLayout> _layouts;
    private readonly IReadOnlyList<string[]> _providers;
    private readonly DateOnly _start;
    private readonly List<(int Feed, string Provider, string Line)>[] _pending;
    private readonly SortedDictionary<(int Feed, string Provider), StreamWriter> _open = new();
    private int _month = -1;

    public ExtractSink(string folder, IReadOnlyList<FeedLayout> layouts, IReadOnlyList<string[]> providers, DateOnly start, int months)
    {
        _folder = folder;
        _layouts = layouts;
        _providers = providers;
        _start = start;
        _pending = Enumerable.Range(0, months).Select(_ => new List<(int, string, string)>()).ToArray();
    }

    public int FilesWritten { get; private set; }

    public long[] RowsPerFeed { get; } = new long[FeedSchemaLoader.FeedNames.Count];

    public void BeginMonth(int month)
    {
        _month = month;
        foreach (var (feed, provider, line) in _pending[month])
        {
            WriteNow(feed, provider, line);
        }

        _pending[month].Clear();
    }

    public void Write(int feed, string provider, int month, string line)
    {
        if (month == _month)
        {
            WriteNow(feed, provider, line);
        }
        else
        {
            _pending[month].Add((feed, provider, line));
        }
    }

    private void WriteNow(int feed, string provider, string line)
    {
        if (!_open.TryGetValue((feed, provider), out var w))
        {
            w = Open(feed, provider);
        }

        w.Write(line);
        w.Write('\n');
        RowsPerFeed[feed]++;
    }

    private StreamWriter Open(int feed, string provider)
    {
        var layout = _layouts[feed];
        var name = $"{layout.Feed}_{provider}_{_start.AddMonths(_month):yyyy-MM}.csv";
        var w = Csv.Create(Path.Combine(_folder, layout.Feed, name), layout.Header);
        _open[(feed, provider)] = w;
        FilesWritten++;
        return w;
    }

    public void EndMonth()
    {
        for (var f = 0; f < _providers.Count; f++)
        {
            foreach (var p in _providers[f])
            {
                if (!_open.ContainsKey((f, p)))
                {
                    Open(f, p);
                }
            }
        }

        foreach (var w in _open.Values)
        {
            w.Dispose();
        }

        _open.Clear();
    }

    public void Dispose()
    {
        foreach (var w in _open.Values)
        {
            w.Dispose();
        }

        _open.Clear();
    }
}
