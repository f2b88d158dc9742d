using System.Globalization;
using System.Net;

namespace Wisp.Dashboard;

/// <summary>
/// The endpoint a dashboard listens on, read from <c>HOST:PORT</c>: a loopback address unless remote access is
/// allowed, since the page shows every process of the node to whoever reaches it.
/// </summary>
internal static class DashboardAddress
{
    public static IPEndPoint Parse(string text, bool allowRemote)
    {
        text = text.Trim();
        string hostText = "127.0.0.1", portText = text;
        int colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            hostText = text[..colon];
            portText = text[(colon + 1)..];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
            throw Invalid(text, "the port must be a number from 0 to 65535");
        if (hostText.StartsWith('[') && hostText.EndsWith(']')) hostText = hostText[1..^1];
        else if (hostText.Contains(':')) throw Invalid(text, "write an IPv6 address in brackets: [::1]:PORT");
        var address = hostText.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(hostText, out var parsed) ? parsed
            : throw Invalid(text, "the host must be an IP address or localhost");
        if (!IPAddress.IsLoopback(address) && !allowRemote)
            throw Invalid(text, $"{address} is not a loopback address: the dashboard shows every process of the node, so it "
                + "listens on 127.0.0.1 or [::1] unless remote access is allowed (--dashboard-allow-remote)");
        return new IPEndPoint(address, port);
    }

    private static WispException Invalid(string text, string why) => new(ErrorKind.Invalid, $"dashboard address '{text}': {why}");
}
