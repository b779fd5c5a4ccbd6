using Dapper;
using DuckDB.NET.Data;
using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Feeds;
using LinkedDataset.Pipeline.Identity;
using LinkedDataset.Pipeline.Landing;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Pipeline.Staging;

/// <summary>
/// The two forms an extract can arrive in (issue 4): identifiable (staging pseudonymises it) or
/// pseudonymised at source (staging checks the key id and keeps the tokens). Also the match
/// tokens staged for identifiable extracts.
/// </summary>
public sealed partial class ExtractStager
{
    private static readonly string MatchTokenSelect = string.Join(", ", PseudonymisedForm.MatchTokenColumns.Select(Sql.Identifier));

    /// <summary>
    /// Checks the header against the feed's configured form and, for a pseudonymised extract, that
    /// its key id is the pipeline key's. Refuses the file (a <see cref="PipelineException"/> naming
    /// the file, never a key) otherwise. Returns the form.
    /// </summary>
    private static FeedForm CheckForm(DuckDBConnection db, LandedExtract extract, FeedSchema schema, IReadOnlyList<string> header, StagingOptions options)
    {
        var form = (options.Forms ?? FeedForms.Configured).FormOf(extract.Feed);
        var identity = schema.IdentityColumns.Select(c => c.Name).Where(n => n != PseudonymisedForm.Sex && header.Contains(n)).ToList();
        var pseudonymised = PseudonymisedForm.Columns.Where(n => n != PseudonymisedForm.Sex && header.Contains(n)).ToList();
        if (form == FeedForm.Identifiable && pseudonymised.Count > 0)
        {
            throw new ExtractRefusedException(FileReasons.WrongForm,
                $"{extract.FileName}: refused: feed '{extract.Feed}' is configured identifiable (schemas/{FeedForms.FileName}) but this extract has pseudonymised column(s) {string.Join(", ", pseudonymised)}. " +
                "Ask the provider for the identifiable extract, or configure the feed as pseudonymised.");
        }

        if (form == FeedForm.Identifiable)
        {
            return form;
        }

        if (identity.Count > 0)
        {
            throw new ExtractRefusedException(FileReasons.WrongForm,
                $"{extract.FileName}: refused: feed '{extract.Feed}' is configured pseudonymised at source (schemas/{FeedForms.FileName}) but this extract has identity column(s) {string.Join(", ", identity)}. " +
                "Ask the provider to run 'ldp pseudonymise' on it and send the output, or configure the feed as identifiable.");
        }

        var missing = new[] { PseudonymisedForm.PersonToken, PseudonymisedForm.KeyId }.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ExtractRefusedException(FileReasons.WrongForm, $"{extract.FileName}: refused: a pseudonymised extract needs column(s) {string.Join(", ", missing)}; it should be the output of 'ldp pseudonymise'.");
        }

        var keyIds = db.Query<string?>("SELECT DISTINCT key_id FROM raw ORDER BY 1 LIMIT 5").AsList();

        if (keyIds.Any(k => k != options.Key.KeyId))
        {
            var found = string.Join(", ", keyIds.Where(k => k != options.Key.KeyId).Select(k => k is null ? "(empty)" : k.Length == 16 && k.All(char.IsAsciiHexDigitLower) ? k : "(not a key id)"));
            throw new ExtractRefusedException(FileReasons.KeyMismatch,
                $"{extract.FileName}: refused: pseudonymised with key id {found}, but the pipeline's key has id {options.Key.KeyId}. " +
                "Its tokens would not link. Ask the provider to pseudonymise with the agreed key, or stage with the key they used.");
        }

        return form;
    }

    /// <summary>The header as <see cref="CheckHeader"/> should see it: the pseudonymised columns are expected, not extra, in that form.</summary>
    private static IReadOnlyList<string> ContentHeader(IReadOnlyList<string> header, FeedForm form) =>
        form == FeedForm.Pseudonymised ? header.Where(h => h == PseudonymisedForm.Sex || !PseudonymisedForm.Columns.Contains(h)).ToList() : header;

    /// <summary>
    /// The row failure expression: the schema's checks. Identity values (tokens, birth month, sex of a
    /// pseudonymised extract too) were cleaned before (<see cref="CreateChecked"/>), so they never fail a row.
    /// </summary>
    private static string FailureSql(FeedSchema schema, IReadOnlySet<string> header, FeedForm form, DateOnly today, string provider) =>
        ValidationSql.FailureExpression(schema, header, today, provider);

    /// <summary>Birth month and LSOA as staged: derived from the identifiers, or taken from a pseudonymised extract.</summary>
    private static (string BirthMonth, string Lsoa)? PseudonymisedDerived(FeedForm form) =>
        form == FeedForm.Pseudonymised
            ? ("strftime(TRY_STRPTIME(c.birth_month || '-01', '%Y-%m-%d'), '%Y-%m')", "c.lsoa11cd")
            : null;
}
