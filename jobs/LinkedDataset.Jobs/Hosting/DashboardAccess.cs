using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// Who may see the dashboard. With credentials (HTTP Basic user and password, or a bearer token of at
/// least <see cref="DashboardSettings.MinimumTokenLength"/> characters) anyone may; without them only
/// a local request, and only when <paramref name="allowLoopbackWithoutAuth"/> is on.
/// A request is local when it comes from a loopback address and carries no proxy headers
/// (<c>X-Forwarded-For</c>, <c>Forwarded</c>, <c>X-Real-IP</c>): a reverse proxy on the same host
/// makes every request arrive from loopback, so a proxied request is judged by the address the proxy
/// forwards, and only when the proxy is one of <see cref="DashboardSettings.KnownProxies"/>. Proxy
/// headers from anyone else are not believed, and such a request is never local.
/// </summary>
public sealed class DashboardAccess(DashboardSettings settings, bool allowLoopbackWithoutAuth) : IDashboardAuthorizationFilter
{
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    private readonly IReadOnlyList<IPAddress> proxies = (settings.KnownProxies ?? []).Select(p => Normalise(IPAddress.Parse(p))!).ToList();

    public bool Authorize(DashboardContext context) => context.GetHttpContext() is { } http && IsAllowed(http);

    public bool IsAllowed(HttpContext http) =>
        HasValidCredentials(http) || (allowLoopbackWithoutAuth && ClientAddress(http) is { } client && IPAddress.IsLoopback(client));

    /// <summary>
    /// The address the request is from: the connection's peer when there are no proxy headers; the
    /// forwarded client (the nearest hop that is not a known proxy) when the peer is a known proxy;
    /// otherwise null (unknown, so never local).
    /// </summary>
    public IPAddress? ClientAddress(HttpContext http)
    {
        var peer = Normalise(http.Connection.RemoteIpAddress);
        if (!ProxyHeaders.Any(h => http.Request.Headers.ContainsKey(h)))
        {
            return peer;
        }

        if (peer is null || !proxies.Contains(peer))
        {
            return null;
        }

        var hops = ForwardedHops(http.Request.Headers);
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (hops[i] is not { } hop)
            {
                return null; // "unknown" or unparseable: we cannot say who it is
            }

            if (!proxies.Contains(hop))
            {
                return hop;
            }
        }

        return hops.Count > 0 ? hops[0] : null;
    }

    /// <summary>The client and proxies the headers name, client first; null for a hop that is not an address.</summary>
    private static List<IPAddress?> ForwardedHops(IHeaderDictionary headers)
    {
        var hops = new List<IPAddress?>();
        foreach (var element in Values(headers["Forwarded"]))
        {
            var forValue = element.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("for=", StringComparison.OrdinalIgnoreCase));
            hops.Add(forValue is null ? null : ParseHop(forValue[4..]));
        }

        if (hops.Count == 0)
        {
            hops.AddRange(Values(headers["X-Forwarded-For"]).Select(ParseHop));
        }

        if (hops.Count == 0)
        {
            hops.AddRange(Values(headers["X-Real-IP"]).Select(ParseHop));
        }

        return hops;
    }

    private static IEnumerable<string> Values(StringValues header) =>
        header.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>An address as proxies write it: <c>203.0.113.9</c>, <c>203.0.113.9:4711</c>, <c>"[2001:db8::1]:4711"</c>, <c>2001:db8::1</c>.</summary>
    private static IPAddress? ParseHop(string text)
    {
        var value = text.Trim().Trim('"');
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            value = close > 0 ? value[1..close] : value;
        }
        else if (value.Count(c => c == ':') == 1)
        {
            value = value[..value.IndexOf(':', StringComparison.Ordinal)];
        }

        return IPAddress.TryParse(value, out var address) ? Normalise(address) : null;
    }

    private static IPAddress? Normalise(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private bool HasValidCredentials(HttpContext http)
    {
        if (!settings.HasCredentials)
        {
            return false;
        }

        var header = http.Request.Headers.Authorization.ToString();
        if (settings.Token is { Length: > 0 } token && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return SameSecret(header["Bearer ".Length..].Trim(), token);
        }

        if (settings.User is { Length: > 0 } user && settings.Password is { Length: > 0 } password && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 && SameSecret(pair[..colon], user) & SameSecret(pair[(colon + 1)..], password);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Refuses a request that <see cref="IsAllowed"/> does not let in, asking for Basic credentials when they are configured.</summary>
    public async Task Guard(HttpContext http, Func<Task> next)
    {
        if (IsAllowed(http))
        {
            await next();
            return;
        }

        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (settings.User is { Length: > 0 })
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"ldp dashboard\", charset=\"UTF-8\"";
        }

        await http.Response.WriteAsync(allowLoopbackWithoutAuth
            ? "The ldp dashboard answers local requests only (a request through a proxy that is not in Dashboard:KnownProxies is not local), unless Dashboard:User/Password or Dashboard:Token is configured and given."
            : "The ldp dashboard needs credentials: Dashboard:User/Password (HTTP Basic) or Dashboard:Token (Bearer).");
    }

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
