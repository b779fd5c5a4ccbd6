using System.Text.RegularExpressions;
using LinkedDataset.Analysis.Reports;
using LinkedDataset.Pipeline.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// Serves the rendered report sets read-only at <c>/reports</c>: <c>/reports</c> goes to the current
/// snapshot's index, <c>/reports/&lt;snapshot id&gt;/&lt;file&gt;.html</c> is one page. Only GET, only
/// <c>.html</c> files directly inside a snapshot's report folder; the dashboard's access rules
/// (<see cref="DashboardAccess"/>, applied to every request by <see cref="ServeHost"/>) decide who may see them.
/// </summary>
public static partial class ReportPages
{
    /// <summary>Where the reports live.</summary>
    public const string Path = "/reports";

    /// <summary>Maps the report routes onto <paramref name="app"/>.</summary>
    public static void Map(IEndpointRouteBuilder app, DatasetLayout layout)
    {
        app.MapGet(Path, () => layout.CurrentSnapshotId is { } id && File.Exists(System.IO.Path.Combine(layout.Reports(id), ReportSetWriter.IndexFile))
            ? Results.Redirect($"{Path}/{id}/{ReportSetWriter.IndexFile}")
            : Results.NotFound("No reports have been rendered for the current snapshot yet: run 'ldp reports', or wait for the scheduled Reports job."));
        app.MapGet(Path + "/{snapshot}/{file}", (string snapshot, string file) =>
        {
            if (!SafeName().IsMatch(snapshot) || !SafeName().IsMatch(file) || !file.EndsWith(".html", StringComparison.Ordinal))
            {
                return Results.NotFound();
            }

            var path = System.IO.Path.Combine(layout.Reports(snapshot), file);
            return File.Exists(path) ? Results.File(path, "text/html; charset=utf-8") : Results.NotFound();
        });
    }

    // Snapshot ids and report file names: letters, digits, '-', '_' and '.', not starting with '.'.
    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")]
    private static partial Regex SafeName();
}
