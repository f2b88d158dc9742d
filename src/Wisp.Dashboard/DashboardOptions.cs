using Microsoft.Extensions.Logging;

namespace Wisp.Dashboard;

/// <summary>How a node's dashboard is served (<see cref="DashboardExtension"/>).</summary>
public sealed record DashboardOptions
{
    /// <summary>Where <c>--dashboard</c> without an address listens.</summary>
    public const string DefaultAddress = "127.0.0.1:7979";

    /// <summary>
    /// <c>HOST:PORT</c> to listen on (an IP address or <c>localhost</c>; IPv6 in brackets; port 0 takes a free port), or
    /// a port alone on 127.0.0.1. Only a loopback address unless <see cref="AllowRemote"/>.
    /// </summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>
    /// Lets <see cref="Address"/> be a non-loopback address (0.0.0.0, a LAN address) and accepts requests naming any
    /// host. Anyone who reaches the port then reads the node's processes; actions still need the token.
    /// </summary>
    public bool AllowRemote { get; init; }

    /// <summary>The token that allows cancel and terminate (sent as <c>Authorization: Bearer TOKEN</c>); null: a random one.</summary>
    public string? Token { get; init; }

    /// <summary>Where the page's address and the token are printed once it listens; null: nowhere.</summary>
    public TextWriter? Announce { get; init; }

    /// <summary>Where the web server's own logs go (the node's); null: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>How often the page is updated and the rates are sampled.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How far back the rate charts go.</summary>
    public TimeSpan History { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most processes one update lists (the first by PID); the update says how many live.</summary>
    public int MaxProcesses { get; init; } = 1000;

    /// <summary>Checks the address (an Invalid <see cref="WispException"/> naming what is wrong), as the start would.</summary>
    public void Validate() => DashboardAddress.Parse(Address, AllowRemote);
}
