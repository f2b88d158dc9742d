using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wisp.Dashboard;

/// <summary>
/// Answers only requests addressed to a loopback host (<c>localhost</c>, 127.0.0.1, [::1]): a web page whose own name
/// is made to resolve to 127.0.0.1 (DNS rebinding) sends its own name as Host and is refused.
/// </summary>
internal static class LoopbackHostFilter
{
    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (IsLoopback(context.Request.Host.Host)) await next(context);
        else await Results.Problem($"host not allowed: '{context.Request.Host}' (the dashboard answers loopback addresses only)",
            statusCode: 400).ExecuteAsync(context);
    });

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
