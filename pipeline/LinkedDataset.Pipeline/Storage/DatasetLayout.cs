namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// Where everything lives under one dataset folder. The one place that knows the layout:
/// <code>
/// landing/&lt;feed&gt;/&lt;feed&gt;_&lt;provider&gt;_&lt;YYYY-MM&gt;.csv   files as providers drop them, never modified
/// landing/_reference/postcode_lsoa.csv            postcode → LSOA lookup supplied with the extracts
/// staging/&lt;feed&gt;/&lt;extract id&gt;.parquet           validated, typed, pseudonymised rows
/// staging/&lt;feed&gt;/&lt;extract id&gt;.json              what staging did with that extract (counts, versions)
/// quarantine/&lt;feed&gt;/&lt;extract id&gt;.parquet        rejected rows: source row, column, reason (no row contents)
/// linkage/link_table.parquet                      person_token → person_id (the only place tokens meet ids)
/// lake/snapshots/&lt;snapshot id&gt;/...               published linked dataset + manifest.json
/// lake/CURRENT                                    id of the newest complete snapshot
/// registry/landing_registry.json                  every file ever seen in landing: extract id, received, rows, status, supersession
/// quality/&lt;snapshot id&gt;/                         data-quality matrix of a snapshot (Parquet + HTML)
/// reports/&lt;snapshot id&gt;/                         the standard report set of a snapshot, with index.html
/// lake/marts/&lt;snapshot id&gt;/...                  derived marts of that snapshot (costed_activity, person_month,
///                                                 person_year, marts.json); rebuildable, so kept beside the
///                                                 immutable snapshot rather than inside it
/// logs/                                           run logs (counts and ids only)
/// audit/audit.jsonl                               append-only audit log (ids, never row data or keys)
/// extracts/&lt;project&gt;/&lt;release id&gt;/             project extracts, person ids re-keyed per project
/// cohorts/&lt;name&gt;/&lt;snapshot id&gt;/                  a cohort: person-level cohort.parquet (stays here) and its disclosure-controlled report/
/// measures/&lt;name&gt;/&lt;snapshot id&gt;/                 a measure file's disclosure-controlled results
/// .ldp.lock, .ldp.lock.holder                     one writer at a time (an OS lock on the file), and who holds it
/// dataset.yaml                                    the key id the dataset was built with, and whether it is synthetic
/// </code>
/// <paramref name="LandingRoot"/> moves <c>landing/</c> elsewhere (e.g. a share providers drop into); everything else stays under <paramref name="Root"/>.
/// </summary>
public sealed record DatasetLayout(string Root, string? LandingRoot = null)
{
    public string Landing => LandingRoot ?? Path.Combine(Root, "landing");

    public string LandingFeed(string feed) => Path.Combine(Landing, feed);

    public string PostcodeLookup => Path.Combine(Landing, "_reference", "postcode_lsoa.csv");

    public string Staging => Path.Combine(Root, "staging");

    public string StagedFile(string feed, string extractId) => Path.Combine(Staging, feed, extractId + ".parquet");

    public string StagingReport(string feed, string extractId) => Path.Combine(Staging, feed, extractId + ".json");

    public string QuarantineFile(string feed, string extractId) => Path.Combine(Root, "quarantine", feed, extractId + ".parquet");

    public string LinkTable => Path.Combine(Root, "linkage", "link_table.parquet");

    public string Snapshots => Path.Combine(Root, "lake", "snapshots");

    public string Snapshot(string snapshotId) => Path.Combine(Snapshots, snapshotId);

    /// <summary>Derived marts of every snapshot: <c>lake/marts/</c>.</summary>
    public string MartsRoot => Path.Combine(Root, "lake", "marts");

    /// <summary>The marts built from one snapshot: <c>lake/marts/&lt;snapshot id&gt;/</c>, deleted and rebuilt at will.</summary>
    public string Marts(string snapshotId) => Path.Combine(MartsRoot, snapshotId);

    public string CurrentSnapshotPointer => Path.Combine(Root, "lake", "CURRENT");

    public string Logs => Path.Combine(Root, "logs");

    public string LandingRegistry => Path.Combine(Root, "registry", "landing_registry.json");

    public string Quality(string snapshotId) => Path.Combine(Root, "quality", snapshotId);

    /// <summary>Every snapshot's report set: <c>reports/</c>.</summary>
    public string ReportsRoot => Path.Combine(Root, "reports");

    /// <summary>The standard report set of one snapshot, with its index page: <c>reports/&lt;snapshot id&gt;/</c>.</summary>
    public string Reports(string snapshotId) => Path.Combine(ReportsRoot, snapshotId);

    public string AuditLog => Path.Combine(Root, "audit", "audit.jsonl");

    public string ProjectExtracts(string project) => Path.Combine(Root, "extracts", project);

    /// <summary>A cohort built on a snapshot: <c>cohorts/&lt;name&gt;/&lt;snapshot id&gt;/</c> (person-level table kept inside the dataset, report beside it).</summary>
    public string Cohort(string name, string snapshotId) => Path.Combine(Root, "cohorts", name, snapshotId);

    /// <summary>A measure computed on a snapshot: <c>measures/&lt;name&gt;/&lt;snapshot id&gt;/</c> (aggregates after disclosure control).</summary>
    public string Measure(string name, string snapshotId) => Path.Combine(Root, "measures", name, snapshotId);

    /// <summary>The lock file every writer holds (<see cref="DatasetLock"/>).</summary>
    public string LockFile => Path.Combine(Root, ".ldp.lock");

    /// <summary>Who holds <see cref="LockFile"/>: command, process id and since when (for the message a waiting writer prints).</summary>
    public string LockHolderFile => Path.Combine(Root, ".ldp.lock.holder");

    /// <summary>
    /// The lock file a publish job holds alone while it links and publishes (<see cref="DatasetLock.AcquirePublishing"/>): beside the
    /// Hangfire lock, whose expiry a long publish can outlive, so a waiting publish starts only after CURRENT has moved.
    /// </summary>
    public string PublishLockFile => Path.Combine(Root, ".ldp-publish.lock");

    /// <summary>The dataset's identity record: the key id it was built with and whether it is synthetic.</summary>
    public string IdentityFile => Path.Combine(Root, "dataset.yaml");

    /// <summary>The id of the newest complete snapshot, or null when none has been published.</summary>
    public string? CurrentSnapshotId =>
        File.Exists(CurrentSnapshotPointer) ? File.ReadAllText(CurrentSnapshotPointer).Trim() is { Length: > 0 } id ? id : null : null;
}
