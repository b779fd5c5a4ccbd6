using LinkedDataset.Pipeline.Common;
using LinkedDataset.Pipeline.Storage;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LinkedDataset.Pipeline.Identity;

/// <summary>
/// The key is part of the dataset's identity (<c>&lt;data&gt;/dataset.yaml</c>): the id of the key the
/// dataset was built with, and whether its data is synthetic. Every person id hangs on that key: staging
/// under another one would give everyone new tokens and a second person id, so a different key is refused
/// (<c>ldp rekey</c> moves a dataset to a new key and updates the record). The development key is for
/// synthetic data only: refused on a dataset built with another key, and outright on one that says
/// <c>synthetic: false</c>.
/// </summary>
/// <param name="KeyId">Id (fingerprint) of the key the dataset is built with.</param>
/// <param name="Synthetic">True when the data is synthetic; an operator sets false for real extracts.</param>
public sealed record DatasetIdentity(string KeyId, bool Synthetic)
{
    /// <summary>The record of <paramref name="layout"/>'s dataset, or null when it has none yet.</summary>
    public static DatasetIdentity? Read(DatasetLayout layout)
    {
        if (!File.Exists(layout.IdentityFile))
        {
            return null;
        }

        IdentityFile file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<IdentityFile>(File.ReadAllText(layout.IdentityFile)) ?? new IdentityFile();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PipelineException($"{layout.IdentityFile}: line {e.Start.Line}: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(file.KeyId) || file.Synthetic is null)
        {
            throw new PipelineException($"{layout.IdentityFile}: needs 'key_id' (the id of the key the dataset was built with) and 'synthetic' (true or false).");
        }

        return new DatasetIdentity(file.KeyId.Trim(), file.Synthetic.Value);
    }

    /// <summary>Writes the record (atomically).</summary>
    public void Write(DatasetLayout layout) =>
        AtomicFile.WriteAllText(layout.IdentityFile,
            "# The identity of this dataset, written by ldp. Every person id hangs on the pseudonymisation key:\n" +
            "# a run with another key is refused; 'ldp rekey' moves the dataset to a new key and updates key_id.\n" +
            "# synthetic: false (real extracts) refuses the development key outright.\n" +
            $"key_id: {KeyId}\nsynthetic: {(Synthetic ? "true" : "false")}\n");

    /// <summary>
    /// Checks that <paramref name="key"/> may write to the dataset, recording the identity the first time.
    /// A dataset with no record yet takes the key id of its current snapshot if it has one (built before
    /// the record existed), else <paramref name="key"/>'s; it is synthetic when <paramref name="syntheticEvidence"/>.
    /// <paramref name="rekeyingFrom"/> is the old key id while <c>ldp rekey</c> moves the dataset to <paramref name="key"/>.
    /// </summary>
    /// <exception cref="PipelineException">The key is not the dataset's, or it is the development key on real data.</exception>
    public static DatasetIdentity Check(DatasetLayout layout, PseudonymKey key, bool developmentKey, bool syntheticEvidence, string? rekeyingFrom = null)
    {
        var record = Read(layout);
        var isNew = record is null;
        record ??= new DatasetIdentity(
            layout.CurrentSnapshotId is { } current && File.Exists(Path.Combine(layout.Snapshot(current), "manifest.json"))
                ? SnapshotManifest.Read(layout.Snapshot(current)).KeyId
                : rekeyingFrom ?? key.KeyId,
            syntheticEvidence);

        if (developmentKey && !record.Synthetic)
        {
            throw new PipelineException(isNew
                ? $"The development key is for synthetic data only, and nothing shows the data in {layout.Landing} is synthetic (no synthetic-truth/ from the generator). " +
                  "Give real extracts a key with --key-file or LDP_PSEUDONYM_KEY."
                : $"The development key is for synthetic data only, and {layout.IdentityFile} says this dataset is not synthetic (synthetic: false). " +
                  $"Give the dataset's key (key id {record.KeyId}) with --key-file or LDP_PSEUDONYM_KEY.");
        }

        if (record.KeyId != key.KeyId && record.KeyId != rekeyingFrom)
        {
            var which = developmentKey ? "the development key (was --key-file or LDP_PSEUDONYM_KEY forgotten?)" : "a different key";
            throw new PipelineException(
                $"This dataset was built with key id {record.KeyId}, but this run has {which}, key id {key.KeyId}; " +
                "staging under it would give every person a new id. Use the dataset's key, or move the dataset to the new key with " +
                "'ldp rekey --old-key-file OLD --new-key-file NEW'.");
        }

        if (isNew)
        {
            Directory.CreateDirectory(layout.Root);
            record.Write(layout);
        }

        return record;
    }

    /// <summary>
    /// True when the folder holds what the synthetic generator writes beside its extracts
    /// (<c>synthetic-truth/</c> in the dataset folder, or <c>_truth/</c> in landing).
    /// </summary>
    public static bool HasSyntheticTruth(DatasetLayout layout) =>
        Directory.Exists(Path.Combine(layout.Root, "synthetic-truth")) || Directory.Exists(Path.Combine(layout.Landing, "_truth"));

    private sealed class IdentityFile
    {
        public string? KeyId { get; set; }
        public bool? Synthetic { get; set; }
    }
}
