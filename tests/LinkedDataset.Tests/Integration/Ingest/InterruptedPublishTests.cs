using System.Diagnostics;
using FluentAssertions;
using LinkedDataset.Pipeline.Publishing;
using LinkedDataset.Pipeline.Storage;

namespace LinkedDataset.Tests.Integration.Ingest;

/// <summary>
/// Publishing interrupted part-way — by an exception at each checkpoint, and by killing an
/// <c>ldp run</c> process — leaves the old snapshot current and readable, and a rerun produces
/// exactly the snapshot an uninterrupted publish produces: same id, same rows in every table.
/// </summary>
public class InterruptedPublishTests(PublishFixture fixture) : IClassFixture<PublishFixture>
{
    public static TheoryData<string> Points => new(PublishCheckpoint.All);

    [Theory]
    [MemberData(nameof(Points))]
    public void Publish_InterruptedByAnException_LeavesTheOldSnapshotReadable_AndTheRerunEqualsAnUninterruptedRun(string point)
    {
        fixture.OldSnapshotId.Should().NotBe(fixture.NewSnapshotId, "the rerun adds a month, so it is a new snapshot");
        var layout = fixture.CopyOfTemplate("exception-" + point);

        var interrupted = () => fixture.Publish(layout, reached => { if (reached == point) { throw new IOException("injected failure at " + point); } });
        interrupted.Should().Throw<IOException>().WithMessage("*" + point);

        var expectedCurrent = point == PublishCheckpoint.CurrentWritten ? fixture.NewSnapshotId : fixture.OldSnapshotId;
        layout.CurrentSnapshotId.Should().Be(expectedCurrent);
        OldSnapshotIsReadable(layout);

        var rerun = fixture.Publish(layout);
        rerun.SnapshotId.Should().Be(fixture.NewSnapshotId);
        layout.CurrentSnapshotId.Should().Be(fixture.NewSnapshotId);
        SnapshotComparer.Differences(layout.Snapshot(fixture.NewSnapshotId), fixture.Reference.Snapshot(fixture.NewSnapshotId)).Should().BeEmpty();
    }

    [Fact]
    public void Publish_InAKilledProcess_LeavesTheOldSnapshotReadable_AndTheRerunEqualsAnUninterruptedRun()
    {
        var layout = fixture.CopyOfTemplate("killed");
        var signal = Path.Combine(layout.Root, "..", "killed.signal");

        using (var process = StartLdpRun(layout, pauseAt: PublishCheckpoint.TablesWritten, signal))
        {
            var waited = Stopwatch.StartNew();
            while (!File.Exists(signal) && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(3))
            {
                Thread.Sleep(100);
            }

            File.Exists(signal).Should().BeTrue($"ldp run should reach '{PublishCheckpoint.TablesWritten}' (exited: {process.HasExited}; {(process.HasExited ? process.StandardError.ReadToEnd() : "")})");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Directory.EnumerateDirectories(layout.Snapshots, ".tmp-*").Should().NotBeEmpty("the kill came while the snapshot was half written");
        layout.CurrentSnapshotId.Should().Be(fixture.OldSnapshotId);
        OldSnapshotIsReadable(layout);

        using (var rerun = StartLdpRun(layout, pauseAt: null, signal: null))
        {
            rerun.WaitForExit((int)TimeSpan.FromMinutes(5).TotalMilliseconds).Should().BeTrue();
            rerun.ExitCode.Should().Be(0, rerun.StandardError.ReadToEnd());
        }

        layout.CurrentSnapshotId.Should().Be(fixture.NewSnapshotId);
        Directory.EnumerateDirectories(layout.Snapshots, ".tmp-*").Should().BeEmpty();
        SnapshotComparer.Differences(layout.Snapshot(fixture.NewSnapshotId), fixture.Reference.Snapshot(fixture.NewSnapshotId)).Should().BeEmpty();
    }

    private void OldSnapshotIsReadable(DatasetLayout layout)
    {
        using var db = DuckDb.OpenInMemory();
        SnapshotReader.CreateViews(db, layout, fixture.OldSnapshotId);
        var manifest = SnapshotManifest.Read(layout.Snapshot(fixture.OldSnapshotId));
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM person").Should().Be(manifest.TableRows["person"]).And.BeGreaterThan(0);
        DuckDb.Scalar<long>(db, "SELECT count(*) FROM gp_event").Should().Be(manifest.TableRows["gp_event"]);
    }

    /// <summary>Runs the built CLI (<c>dotnet ldp.dll run</c>) from the test output folder on <paramref name="layout"/>.</summary>
    private Process StartLdpRun(DatasetLayout layout, string? pauseAt, string? signal)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ldp.dll"), "run", "--data", layout.Root, "--key-file", fixture.KeyFile, "--workers", "1", "--memory-limit", "1GB" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("LDP_PSEUDONYM_KEY");
        if (pauseAt is not null)
        {
            start.Environment[PublishCheckpoint.PauseVariable] = pauseAt;
            start.Environment[PublishCheckpoint.SignalVariable] = signal!;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
