using System.Diagnostics;
using System.Text;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>What <c>ldp pseudonymise</c> is asked to do.</summary>
/// <param name="Feed">The feed the extract belongs to (its schema says which columns are content and which identity).</param>
/// <param name="InputPath">The identifiable CSV extract.</param>
/// <param name="OutputPath">Where the pseudonymised CSV is written (replaced atomically).</param>
/// <param name="Key">The pseudonymisation key shared with the pipeline.</param>
/// <param name="PostcodeLookupPath">CSV with columns <c>postcode</c> and <c>lsoa11cd</c>; without it <c>lsoa11cd</c> is empty.</param>
/// <param name="NhsNumberOptions">NHS number validation options (e.g. the 999 test range as missing).</param>
public sealed record SourcePseudonymiseOptions(
    string Feed,
    string InputPath,
    string OutputPath,
    PseudonymKey Key,
    string? PostcodeLookupPath = null,
    NhsNumberOptions? NhsNumberOptions = null);

/// <summary>What the pseudonymiser did: counts only.</summary>
public sealed record SourcePseudonymiseResult(
    long Rows,
    long RowsWithPersonToken,
    long RowsWithLsoa,
    IReadOnlyList<string> DroppedColumns,
    string KeyId,
    double Seconds);

/// <summary>
/// Pseudonymisation at source (<c>ldp pseudonymise</c>): reads an identifiable CSV extract one
/// record at a time and writes its pseudonymised form: the feed's content columns unchanged, then
/// <see cref="PseudonymisedForm.Columns"/>. Direct identifiers, and any column the feed's schema
/// does not know (it could hold one), are dropped. Uses the same <see cref="Pseudonymiser"/> as
/// staging, so a token made here equals the token staging makes from the same identifiable row
/// under the same key.
/// </summary>
/// <remarks>
/// Memory is bounded: one record is held at a time, plus the postcode lookup (its size, not the
/// extract's) and a cache of at most <see cref="CacheCapacity"/> recent identity tuples, so a
/// person appearing on many rows is hashed once while the cache holds them.
/// </remarks>
public sealed class SourcePseudonymiser(IReadOnlyDictionary<string, FeedSchema> schemas)
{
    /// <summary>Identity tuples whose tokens are remembered; the cache is emptied when full.</summary>
    public const int CacheCapacity = 8_192;

    private static readonly string[] IdentityInputs = ["nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "uprn", "sex"];

    public SourcePseudonymiseResult Run(SourcePseudonymiseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        if (!schemas.TryGetValue(options.Feed, out var schema))
        {
            throw new PipelineException($"Unknown feed '{options.Feed}'. Feeds: {string.Join(", ", schemas.Keys)}.");
        }

        var inputName = Path.GetFileName(options.InputPath);
        if (!File.Exists(options.InputPath))
        {
            throw new PipelineException($"The input extract '{options.InputPath}' does not exist.");
        }

        var lookup = options.PostcodeLookupPath is null ? null : LoadPostcodeLookup(options.PostcodeLookupPath);
        using var pseudonymiser = new Pseudonymiser(options.Key, options.NhsNumberOptions);
        using var input = new StreamReader(options.InputPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        var csv = new CsvRecordReader(input);
        var fields = new List<string?>();
        if (!csv.Read(fields))
        {
            throw new PipelineException($"{inputName}: the file is empty; expected a header row.");
        }

        var header = fields.Select(f => f ?? "").ToList();
        var plan = Plan(schema, header, inputName);
        long rows = 0, withToken = 0, withLsoa = 0;
        var cache = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var output = new string?[plan.ContentIndexes.Count + PseudonymisedForm.Columns.Count];
        var identityKey = new StringBuilder();

        AtomicFile.Write(options.OutputPath, temporary =>
        {
            using var writer = new StreamWriter(temporary, new UTF8Encoding(false), new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 1 << 16 });
            CsvRecordWriter.Write(writer, [.. plan.ContentIndexes.Select(i => header[i]), .. PseudonymisedForm.Columns]);
            while (csv.Read(fields))
            {
                if (fields.Count == 1 && fields[0] is null)
                {
                    continue; // a blank line
                }

                if (fields.Count != header.Count)
                {
                    throw new PipelineException($"{inputName}: line {csv.Line} has {fields.Count} fields but the header has {header.Count}. Check the quoting of that line.");
                }

                if ((++rows & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                for (var i = 0; i < plan.ContentIndexes.Count; i++)
                {
                    output[i] = fields[plan.ContentIndexes[i]];
                }

                string? Get(string column) => plan.Identity.TryGetValue(column, out var index) ? fields[index] : null;
                identityKey.Clear();
                foreach (var column in IdentityInputs)
                {
                    identityKey.Append(Get(column)).Append('\u001f');
                }

                var cacheKey = identityKey.ToString();
                if (!cache.TryGetValue(cacheKey, out var identity))
                {
                    if (cache.Count >= CacheCapacity)
                    {
                        cache.Clear();
                    }

                    identity = Pseudonymise(pseudonymiser, lookup, Get("nhs_number"), Get("given_name"), Get("family_name"), Get("date_of_birth"), Get("postcode"), Get("uprn"), Get("sex"));
                    cache[cacheKey] = identity;
                }

                identity.CopyTo(output, plan.ContentIndexes.Count);
                withToken += identity[0] is null ? 0 : 1;
                withLsoa += identity[PseudonymisedForm.Columns.Count - 3] is null ? 0 : 1;
                CsvRecordWriter.Write(writer, output);
            }
        });

        return new SourcePseudonymiseResult(rows, withToken, withLsoa, plan.Dropped, pseudonymiser.KeyId, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The pseudonymised identity of one record, in <see cref="PseudonymisedForm.Columns"/> order.
    /// Staging's tokens come from the same <see cref="Pseudonymiser"/> methods on the same inputs.
    /// </summary>
    private static string?[] Pseudonymise(
        Pseudonymiser pseudonymiser, IReadOnlyDictionary<string, string>? lookup,
        string? nhsNumber, string? givenName, string? familyName, string? dateOfBirth, string? postcode, string? uprn, string? sex)
    {
        var dob = PseudonymisedForm.ParseDateOfBirth(dateOfBirth);
        var tokens = PseudonymisedForm.Values(pseudonymiser.MatchTokens(givenName, familyName, dob, postcode, PseudonymisedForm.YearOfImpossibleDate(dateOfBirth)));
        var lsoa = lookup is not null && PseudonymisedForm.PostcodeLookupKey(postcode) is { } key && lookup.TryGetValue(key, out var code) ? code : null;
        return
        [
            pseudonymiser.PersonToken(nhsNumber), .. tokens,
            dob?.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), sex, lsoa,
            pseudonymiser.HouseholdToken(uprn), pseudonymiser.KeyId,
        ];
    }

    private sealed record ColumnPlan(IReadOnlyList<int> ContentIndexes, IReadOnlyDictionary<string, int> Identity, IReadOnlyList<string> Dropped);

    private static ColumnPlan Plan(FeedSchema schema, IReadOnlyList<string> header, string inputName)
    {
        var already = header.Where(h => PseudonymisedForm.Columns.Contains(h) && h != PseudonymisedForm.Sex).ToList();
        if (already.Count > 0)
        {
            throw new PipelineException($"{inputName}: already has pseudonymised column(s) {string.Join(", ", already)}; pseudonymise the identifiable extract, not its output.");
        }

        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PipelineException($"{inputName}: column '{duplicate.Key}' appears twice in the header.");
        }

        var missing = schema.ContentColumns.Where(c => c.Required && !header.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
        {
            throw new PipelineException($"{inputName}: required column(s) missing from the header: {string.Join(", ", missing)}.");
        }

        var identityNames = schema.IdentityColumns.Select(c => c.Name).ToHashSet();
        var identity = header.Select((h, i) => (h, i)).Where(x => identityNames.Contains(x.h)).ToDictionary(x => x.h, x => x.i);
        if (identity.Count == 0)
        {
            throw new PipelineException($"{inputName}: has none of the identity columns ({string.Join(", ", identityNames)}) of feed '{schema.Feed}'; nothing to pseudonymise.");
        }

        var content = schema.ContentColumns.Select(c => c.Name).ToHashSet();
        var contentIndexes = header.Select((h, i) => (h, i)).Where(x => content.Contains(x.h)).Select(x => x.i).ToList();
        var dropped = header.Where(h => !content.Contains(h) && !identityNames.Contains(h)).ToList();
        return new ColumnPlan(contentIndexes, identity, dropped);
    }

    /// <summary>Reads a postcode → LSOA 2011 lookup (CSV with columns <c>postcode</c> and <c>lsoa11cd</c>), keyed as staging joins it.</summary>
    public static IReadOnlyDictionary<string, string> LoadPostcodeLookup(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"The postcode lookup '{path}' does not exist. Supply a CSV with columns postcode and lsoa11cd.");
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string?>();
        csv.Read(fields);
        var postcode = fields.IndexOf("postcode");
        var lsoa = fields.IndexOf("lsoa11cd");
        if (postcode < 0 || lsoa < 0)
        {
            throw new PipelineException($"The postcode lookup '{Path.GetFileName(path)}' needs columns postcode and lsoa11cd in its header.");
        }

        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        while (csv.Read(fields))
        {
            if (fields.Count > Math.Max(postcode, lsoa) && PseudonymisedForm.PostcodeLookupKey(fields[postcode]) is { } key && fields[lsoa] is { } code)
            {
                lookup.TryAdd(key, code);
            }
        }

        return lookup;
    }
}
