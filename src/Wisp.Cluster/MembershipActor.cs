using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// Turns Akka's membership events into the node directory and into the node's view of its peers:
/// - a member with Wisp's roles (its node name and creation) becomes a peer as soon as it joins, not only once it is
///   up: a node is up only after every member has seen it join, and may then send at once, so its peers must be able
///   to answer it by then. Its endpoint is resolved, and what was queued for it leaves; a member of the same name with
///   another creation replaces the old one, which is reported lost first (a restarted node);
/// - an unreachable member is reported lost (<see cref="RemoteNodes.NodeDown"/>) at once, when the failure detector
///   gives up on it: watchers hear within its bound, not after the downing that follows; its queued envelopes are
///   dropped; if it becomes reachable again it is a peer again, with a new link (what was in flight was lost);
/// - a downed member is reported lost at once (it is leaving the cluster whatever it does);
/// - a removed member is forgotten (reported lost first if it still counted as reachable: it left), and the names
///   its processes held are released.
/// The directory is marked before the node is told, as <see cref="IRemoteTransport"/> requires.
/// </summary>
internal sealed class MembershipActor : ReceiveActor
{
    private sealed record Resolved(NodeDirectory.Peer Peer, IActorRef Endpoint);
    private sealed record Unresolved(NodeDirectory.Peer Peer, string Why);

    private readonly Node _node;
    private readonly ClusterEngine _engine;
    private readonly NodeDirectory _directory;
    private readonly ClusterNames _names;
    private readonly ClusterOptions _options;
    private readonly IActorRef _endpoint;
    private readonly ILogger _log;
    private readonly Akka.Cluster.Cluster _cluster;

    public MembershipActor(Node node, ClusterEngine engine, ClusterOptions options, IActorRef endpoint, ILogger log)
    {
        _node = node;
        _engine = engine;
        _directory = engine.Directory;
        _names = engine.Names;
        _options = options;
        _endpoint = endpoint;
        _log = log;
        _cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberJoined>(e => Joined(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Joined(e.Member));
        Receive<ClusterEvent.MemberUp>(e => Joined(e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => Unreachable(e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Reachable(e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => Removed(e.Member));
        Receive<ClusterEvent.MemberDowned>(e =>
        {
            if (!IsSelf(e.Member) && Peer(e.Member) is { Reachable: true } peer) Lose(peer, "downed (removed from the cluster)");
        });
        Receive<Resolved>(r =>
        {
            if (_directory.Find(r.Peer.Name) != r.Peer) return;
            r.Peer.Endpoint = r.Endpoint;
            if (r.Peer.Reachable) r.Peer.Link.Connect(r.Endpoint);
            _log.LogInformation("node {node} joined ({address})", r.Peer.Name, r.Peer.Address);
        });
        Receive<Unresolved>(u =>
        {
            if (_directory.Find(u.Peer.Name) != u.Peer) return;
            _log.LogWarning("node {node}: its endpoint does not answer yet ({why}); trying again", u.Peer.Name, u.Why);
            Resolve(u.Peer);
        });
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberJoined), typeof(ClusterEvent.MemberWeaklyUp), typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember),
            typeof(ClusterEvent.MemberDowned), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>The Wisp name and creation a member's roles carry; false for a member that is not a Wisp node.</summary>
    public static bool TryIdentify(Member member, out string name, out uint creation)
    {
        name = "";
        creation = 0;
        foreach (var role in member.Roles)
        {
            if (role.StartsWith(AkkaSettings.NodeRole, StringComparison.Ordinal)) name = role[AkkaSettings.NodeRole.Length..];
            else if (role.StartsWith(AkkaSettings.CreationRole, StringComparison.Ordinal))
                uint.TryParse(role.AsSpan(AkkaSettings.CreationRole.Length), NumberStyles.None, CultureInfo.InvariantCulture, out creation);
        }
        return name.Length > 0 && creation != 0;
    }

    private bool IsSelf(Member member) => member.UniqueAddress.Equals(_cluster.SelfUniqueAddress);

    private void Joined(Member member)
    {
        if (IsSelf(member)) return;
        if (!TryIdentify(member, out var name, out var creation))
        {
            _log.LogWarning("member {address} has no Wisp node name or creation: ignored", member.Address);
            return;
        }
        if (name == _node.Name)
        {
            _log.LogError("member {address} calls itself {node}, this node's own name: ignored", member.Address, name);
            return;
        }
        if (_directory.Find(name) is { } earlier)
        {
            if (earlier.Member.Equals(member.UniqueAddress)) return;
            Lose(earlier, $"replaced by a new incarnation at {member.Address}");
            _directory.Remove(earlier);
        }
        var peer = new NodeDirectory.Peer(name, creation, member.UniqueAddress, new PeerLink(_options, _endpoint));
        _directory.Add(peer);
        _engine.PeerSeen();
        Resolve(peer);
    }

    private void Resolve(NodeDirectory.Peer peer)
    {
        var path = new RootActorPath(peer.Address) / "user" / AkkaSettings.EndpointName;
        Context.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(3)).PipeTo(Self,
            success: endpoint => new Resolved(peer, endpoint),
            failure: e => new Unresolved(peer, e.Message));
    }

    /// <summary>The directory's peer for exactly this member (not an earlier or later incarnation of its node).</summary>
    private NodeDirectory.Peer? Peer(Member member) =>
        TryIdentify(member, out var name, out _) && _directory.Find(name) is { } peer && peer.Member.Equals(member.UniqueAddress) ? peer : null;

    private void Unreachable(Member member)
    {
        if (IsSelf(member)) return;
        if (Peer(member) is not { Reachable: true } peer) return;
        Lose(peer, "unreachable (no heartbeat within the failure detector's bound)");
    }

    private void Reachable(Member member)
    {
        if (IsSelf(member)) return;
        if (Peer(member) is not { Reachable: false } peer) return;
        peer.Link = new PeerLink(_options, _endpoint);
        if (peer.Endpoint is { } endpoint) peer.Link.Connect(endpoint);
        peer.Reachable = true;
        _log.LogInformation("node {node} is reachable again", peer.Name);
    }

    private void Removed(Member member)
    {
        if (IsSelf(member))
        {
            _log.LogWarning("this node was removed from the cluster (downed by its peers, or it left)");
            _engine.Removed();
            return;
        }
        if (Peer(member) is not { } peer) return;
        if (peer.Reachable) Lose(peer, "left the cluster");
        _directory.Remove(peer);
        _names.NodeRemoved(peer.Name, peer.Creation);
    }

    private void Lose(NodeDirectory.Peer peer, string why) => Lose(_node, peer, why, _log);

    /// <summary>Marks the peer unreachable, drops what waits for it, then tells the node (once: a peer already lost is left alone).</summary>
    public static void Lose(Node node, NodeDirectory.Peer peer, string why, ILogger log)
    {
        bool wasReachable = peer.Reachable;
        peer.Reachable = false;
        peer.Link.Close();
        if (!wasReachable) return;
        log.LogWarning("node {node} lost: {why}", peer.Name, why);
        node.Remote.NodeDown(peer.Name, peer.Creation, why);
    }
}
