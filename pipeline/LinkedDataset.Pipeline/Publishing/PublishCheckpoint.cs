namespace LinkedDataset.Pipeline.Publishing;

/// <summary>
/// Named points in <see cref="SnapshotPublisher.Publish"/>, for tests that interrupt publishing:
/// <see cref="PublishOptions.Checkpoint"/> is called at each (a test throws from it), and when the
/// environment variable <see cref="PauseVariable"/> names a point, the process writes the file named
/// by <see cref="SignalVariable"/> there and waits to be killed. Both are off in normal runs.
/// </summary>
public static class PublishCheckpoint
{
    public const string Loaded = "loaded";
    public const string Linked = "linked";
    public const string LinkTableWritten = "link-table-written";
    public const string TablesWritten = "tables-written";
    public const string ManifestWritten = "manifest-written";
    public const string Moved = "moved";
    public const string CurrentWritten = "current-written";

    /// <summary>Every point, in the order publishing reaches them.</summary>
    public static readonly IReadOnlyList<string> All = [Loaded, Linked, LinkTableWritten, TablesWritten, ManifestWritten, Moved, CurrentWritten];

    public const string PauseVariable = "LDP_TEST_PAUSE_PUBLISH_AT";
    public const string SignalVariable = "LDP_TEST_PAUSE_SIGNAL_FILE";

    internal static void Reach(PublishOptions options, string point)
    {
        options.Checkpoint?.Invoke(point);
        if (Environment.GetEnvironmentVariable(PauseVariable) == point)
        {
            if (Environment.GetEnvironmentVariable(SignalVariable) is { Length: > 0 } signal)
            {
                File.WriteAllText(signal, point);
            }

            Thread.Sleep(Timeout.Infinite);
        }
    }
}
