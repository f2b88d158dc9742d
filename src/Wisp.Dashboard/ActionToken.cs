using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Wisp.Dashboard;

/// <summary>
/// The secret an action that changes a process must carry as <c>Authorization: Bearer TOKEN</c>: a header a page of
/// another origin cannot send without the dashboard's consent, compared in constant time.
/// </summary>
internal sealed class ActionToken(string value)
{
    public string Value { get; } = value;

    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Null when the request carries the token; else 401 (none given) or 403 (a wrong one).</summary>
    public IResult? Refusal(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem("this action needs the dashboard's token (Authorization: Bearer TOKEN)", statusCode: 401);
        }
        var given = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(Value)) ? null
            : Results.Problem("wrong token", statusCode: 403);
    }
}
