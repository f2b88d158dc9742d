namespace Wisp.Cluster;

/// <summary>
/// How a node joins a cluster: typed options, turned into the engine's configuration by Wisp (nobody writes HOCON).
/// Only <see cref="NodeName"/> and <see cref="Listen"/> are needed; the rest has defaults made for a LAN.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The node's name, the <c>node</c> of its PIDs (<c>{node@host|id}</c>): letters, digits, '-', '_' and '.'.</summary>
    public required string NodeName { get; init; }

    /// <summary>Where the node listens for its peers: <c>host:port</c> (port 0: any free port).</summary>
    public required string Listen { get; init; }

    /// <summary>
    /// The address peers reach this node at, <c>host:port</c>, when it is not <see cref="Listen"/> (behind NAT or a
    /// proxy, a bind on 0.0.0.0); null: the listen address.
    /// </summary>
    public string? Advertise { get; init; }

    /// <summary>
    /// Nodes to join, <c>host:port</c> each; a node that lists itself first (or no seed at all) may start the cluster
    /// alone when none of the others answers.
    /// </summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>
    /// The interval of the failure detector's heartbeats and the pause it accepts before it calls a peer
    /// unreachable (its watchers then hear of its loss): a lost node is reported after about the pause plus a few
    /// intervals. The defaults, 500 ms and 2.5 s, report a killed or hung node in about 3 s and ride out the pauses of
    /// a busy machine (a GC, a starved core); <see cref="Fast"/> (200 ms and 800 ms) reports it within 2 s on a quiet
    /// LAN; a WAN wants 1 s and 3 s (Akka's defaults), or more.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>
    /// How long a node stays unreachable before the others remove it for good (down it). A node that comes back
    /// before is a peer again; one removed rejoins with a new engine (<see cref="RejoinInterval"/>).
    /// </summary>
    public TimeSpan DowningStableAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The tuning that reports a lost node within 2 s on a quiet LAN: heartbeats every 200 ms, 800 ms of pause.</summary>
    public ClusterOptions Fast() => this with
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(200), AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(800),
    };

    /// <summary>Bytes sent to one node and not yet delivered there beyond which its batches wait (the credit window).</summary>
    public int WindowBytes { get; init; } = 4 << 20;

    /// <summary>The largest batch of envelopes one frame carries (a larger single envelope travels alone).</summary>
    public int BatchBytes { get; init; } = 64 << 10;

    /// <summary>Bytes queued for one node (waiting for credit) beyond which a send fails with LimitExceeded.</summary>
    public long MaxQueuedBytes { get; init; } = 256L << 20;

    /// <summary>The largest encoded message (its payloads); a larger one is refused to its sender (LimitExceeded).</summary>
    public int MaxMessageBytes { get; init; } = 16 << 20;

    /// <summary>
    /// The cluster's shared secret: peers then talk mutual TLS and accept only a peer whose certificate proves the same
    /// secret (see PeerAuthentication); a node without it cannot join. Null: no authentication, no TLS.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>
    /// A PKCS#12 file with this node's certificate and key, for a cluster with its own PKI: mutual TLS, each peer's
    /// certificate checked against the system's trusted roots. Used when <see cref="Secret"/> is not set.
    /// </summary>
    public string? CertificatePath { get; init; }

    public string? CertificatePassword { get; init; }

    /// <summary>
    /// How long a start waits to be up in the cluster; past it the node runs on its own and goes on trying its seeds in
    /// the background (a node started before its seeds: its sends to other nodes fail with "node not found" until then).
    /// </summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node looks whether it is cut off from its cluster, and then starts its engine again to rejoin.</summary>
    public TimeSpan RejoinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the options; an Invalid error names the option and why.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(NodeName) || !NodeName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw Invalid("node", $"'{NodeName}' is not a node name (letters, digits, '-', '_' and '.')");
        ParseEndpoint(Listen, "listen");
        foreach (var seed in Seeds) ParseEndpoint(seed, "seeds");
        if (Advertise is not null) ParseEndpoint(Advertise, "advertise");
        if (HeartbeatInterval <= TimeSpan.Zero) throw Invalid("heartbeat_interval", "must be positive");
        if (AcceptableHeartbeatPause < HeartbeatInterval) throw Invalid("acceptable_heartbeat_pause", "must be at least the heartbeat interval");
        if (BatchBytes < 1024) throw Invalid("batch_bytes", "must be at least 1024");
        if (WindowBytes < BatchBytes) throw Invalid("window_bytes", "must be at least batch_bytes");
        if (MaxMessageBytes < 1024) throw Invalid("max_message_bytes", "must be at least 1024");
        if (MaxQueuedBytes < MaxMessageBytes) throw Invalid("max_queued_bytes", "must be at least max_message_bytes");
        if (JoinTimeout < TimeSpan.Zero) throw Invalid("join_timeout", "must not be negative");
        if (RejoinInterval <= TimeSpan.Zero) throw Invalid("rejoin_interval", "must be positive");
        if (Secret is { Length: < 16 }) throw Invalid("secret", "must be at least 16 characters");
        if (CertificatePath is { } path && !File.Exists(path)) throw Invalid("certificate", $"no such file: {path}");
    }

    /// <summary>Splits <c>host:port</c> (a bracketed IPv6 host too); an Invalid error names the option.</summary>
    public static (string Host, int Port) ParseEndpoint(string endpoint, string option)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
            throw Invalid(option, $"'{endpoint}' is not host:port");
        var host = endpoint[..colon].Trim('[', ']');
        if (host.Length == 0) throw Invalid(option, $"'{endpoint}' has no host");
        return (host, port);
    }

    private static WispException Invalid(string option, string why) => new(ErrorKind.Invalid, $"cluster option {option}: {why}");
}
