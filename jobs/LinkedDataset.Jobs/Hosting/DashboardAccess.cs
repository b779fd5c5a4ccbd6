using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// Who may see the dashboard: any request from a loopback address; from anywhere else only with the
/// configured credentials (HTTP Basic user and password, or a bearer token). With no credentials
/// configured, every non-loopback request is refused.
/// </summary>
public sealed class DashboardAccess(DashboardSettings settings) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext() is { } http && IsAllowed(http);

    public bool IsAllowed(HttpContext http)
    {
        if (IsLoopback(http.Connection.RemoteIpAddress))
        {
            return true;
        }

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

        await http.Response.WriteAsync("The ldp dashboard answers loopback requests only, unless Dashboard:User/Password or Dashboard:Token is configured and given.");
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
