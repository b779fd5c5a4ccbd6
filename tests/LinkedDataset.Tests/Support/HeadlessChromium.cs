using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LinkedDataset.Tests.Support;

/// <summary>What the browser saw on one page.</summary>
/// <param name="Errors">Console errors, uncaught exceptions and browser log errors (e.g. SVG attribute errors, failed loads).</param>
/// <param name="Charts">Chart figures on the page.</param>
/// <param name="EmptyCharts">Chart figures with no drawn SVG (zero size or nothing inside).</param>
/// <param name="Tables">Tables on the page.</param>
/// <param name="EmptyTables">Tables with no body rows.</param>
/// <param name="HasProvenance">Whether the provenance block is shown.</param>
/// <param name="Screenshot">PNG of the full page.</param>
public sealed record BrowserPage(IReadOnlyList<string> Errors, int Charts, int EmptyCharts, int Tables, int EmptyTables, bool HasProvenance, byte[] Screenshot);

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol (a WebSocket, no extra packages):
/// opens a page, collects console and log errors, counts charts and tables as rendered, and takes a
/// full-page screenshot. <see cref="Find"/> is null where Chromium is not installed (tests skip).
/// </summary>
public sealed partial class HeadlessChromium : IDisposable
{
    private readonly Process process;
    private readonly ClientWebSocket socket = new();
    private readonly TempFolder profile = new();
    private int nextId;

    private HeadlessChromium(string executable)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + profile.Path, "--window-size=1280,900", "about:blank" })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? url = null;
        while (url is null && DateTime.UtcNow < deadline && process.StandardError.ReadLine() is { } line)
        {
            url = DevToolsUrl().Match(line) is { Success: true } m ? m.Groups[1].Value : null;
        }

        if (url is null)
        {
            throw new InvalidOperationException("Chromium did not print its DevTools address.");
        }

        _ = process.StandardError.ReadToEndAsync(); // keep draining so the browser never blocks on a full pipe
        socket.ConnectAsync(new Uri(url), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The installed Chromium, or null (with the reason) where there is none.</summary>
    public static (HeadlessChromium? Browser, string Reason) Find()
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        return executable is null
            ? (null, "Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
            : (new HeadlessChromium(executable), "");
    }

    /// <summary>Opens <paramref name="url"/> in a fresh tab and reports what rendered.</summary>
    public async Task<BrowserPage> Open(string url)
    {
        var target = await Send(null, "Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var session = (string)(await Send(null, "Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }))["sessionId"]!;
        var errors = new List<string>();
        await Send(session, "Runtime.enable", [], errors);
        await Send(session, "Log.enable", [], errors);
        await Send(session, "Page.enable", [], errors);
        await Send(session, "Page.navigate", new JsonObject { ["url"] = url }, errors);
        await WaitFor(session, "Page.loadEventFired", errors);
        var probe = await Send(session, "Runtime.evaluate", new JsonObject
        {
            ["returnByValue"] = true,
            ["expression"] = """
                JSON.stringify({
                  charts: document.querySelectorAll('figure.chart').length,
                  emptyCharts: [...document.querySelectorAll('figure.chart')].filter(f => { const s = f.querySelector('svg'); if (!s) return true; const r = s.getBoundingClientRect(); return r.width < 10 || r.height < 10 || s.querySelectorAll('path,rect,text').length === 0; }).length,
                  tables: document.querySelectorAll('table').length,
                  emptyTables: [...document.querySelectorAll('table')].filter(t => t.querySelectorAll('tbody tr').length === 0).length,
                  provenance: !!document.querySelector('footer.provenance dl dd')
                })
                """,
        }, errors);
        var shot = await Send(session, "Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, errors);
        await Send(null, "Target.closeTarget", new JsonObject { ["targetId"] = (string)target["targetId"]! });
        var found = JsonNode.Parse((string)probe["result"]!["value"]!)!;
        return new BrowserPage(errors, (int)found["charts"]!, (int)found["emptyCharts"]!, (int)found["tables"]!, (int)found["emptyTables"]!, (bool)found["provenance"]!,
            Convert.FromBase64String((string)shot["data"]!));
    }

    public void Dispose()
    {
        socket.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
        profile.Dispose();
    }

    private async Task<JsonNode> Send(string? session, string method, JsonObject parameters, List<string>? errors = null)
    {
        var id = ++nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var reply = await Receive();
            Collect(reply, errors);
            if (reply["id"] is { } replyId && (int)replyId == id)
            {
                return reply["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : reply["result"]!;
            }
        }
    }

    private async Task WaitFor(string session, string eventName, List<string> errors)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var message = await Receive(timeout.Token);
            Collect(message, errors);
            if ((string?)message["method"] == eventName && (string?)message["sessionId"] == session)
            {
                return;
            }
        }
    }

    private static void Collect(JsonNode message, List<string>? errors)
    {
        if (errors is null)
        {
            return;
        }

        switch ((string?)message["method"])
        {
            case "Runtime.consoleAPICalled" when (string?)message["params"]!["type"] is "error" or "assert":
                errors.Add("console: " + message["params"]!["args"]!.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                errors.Add("exception: " + message["params"]!["exceptionDetails"]!.ToJsonString());
                break;
            case "Log.entryAdded" when (string?)message["params"]!["entry"]!["level"] == "error":
                errors.Add("log: " + (string?)message["params"]!["entry"]!["text"]);
                break;
        }
    }

    private async Task<JsonNode> Receive(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[1 << 16];
        using var text = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            text.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(text.ToArray())!;
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsUrl();
}
