using Akka.Actor;
using Akka.DistributedData;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// The cluster scopes of the node's registry, each a replicated map (Distributed Data) that every node reads for its
/// lookups (never the network):
/// - EVENTUAL: a register is written at once to this node's replica and gossiped; a name this node sees held by
///   another live process is AlreadyExists; when two nodes register one name at once the replicas converge on one
///   holder and the other process gets CANCEL "name revoked: name" and keeps running (the reference's rule);
/// - CONSISTENT: a register asks the cluster's one authority (<see cref="NameAuthority"/>, a singleton), which decides in
///   order: the first holder wins, a later claim is AlreadyExists naming the holder; it waits for the answer;
/// - STRONG: not offered (Unavailable).
/// Lookups ask CONSISTENT, then EVENTUAL. Names are released when their process exits and when their node leaves the
/// cluster; a name whose node is unreachable is not given.
/// </summary>
internal sealed class ClusterNames : IClusterNames
{
    public static readonly LWWDictionaryKey<string, string> EventualKey = new("wisp-names-eventual");
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(10);

    private readonly Node _node;
    private readonly IActorRef _replicator;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly ILogger _log;
    private IActorRef? _authority;

    public ClusterNames(Node node, NodeDirectory directory, ActorSystem system, ILogger log)
    {
        _node = node;
        _replicator = DistributedData.Get(system).Replicator;
        _cluster = Akka.Cluster.Cluster.Get(system);
        _log = log;
        Func<Pid, bool> reachable = pid => pid.Node == node.Name ? node.IsAlive(pid)
            : directory.CreationOf(pid.Node) is { } creation && (pid.Creation == 0 || pid.Creation == creation);
        Eventual = new NameView(node.Name, reachable);
        Consistent = new NameView(node.Name, reachable);
    }

    public NameView Eventual { get; }
    public NameView Consistent { get; }

    /// <summary>The proxy to the CONSISTENT names' authority, set once the engine has started it.</summary>
    public void UseAuthority(IActorRef authority) => _authority = authority;

    public void Register(string name, Pid pid, RegistryScope scope)
    {
        if (scope != RegistryScope.Eventual)
            throw scope == RegistryScope.Strong ? StrongUnavailable()
                : new WispException(ErrorKind.InvalidState, $"a CONSISTENT name waits for the cluster's answer: register '{name}' with RegisterAsync");
        if ((Consistent.HeldByAnother(name, pid) ?? Eventual.HeldByAnother(name, pid)) is { } holder)
            throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name} (by {holder})");
        Eventual.Hold(name, pid);
        var value = Encode(pid);
        _replicator.Tell(Dsl.Update(EventualKey, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d => d.SetItem(_cluster, name, value)));
    }

    public async Task RegisterAsync(string name, Pid pid, RegistryScope scope)
    {
        if (scope == RegistryScope.Eventual)
        {
            Register(name, pid, scope);
            return;
        }
        if (scope != RegistryScope.Consistent) throw StrongUnavailable();
        if (Eventual.HeldByAnother(name, pid) is { } eventualHolder)
            throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name} (by {eventualHolder}, EVENTUAL)");
        var authority = _authority ?? throw new WispException(ErrorKind.Unavailable, "name service not ready");
        NameAuthority.Claimed answer;
        try
        {
            answer = await authority.Ask<NameAuthority.Claimed>(new NameAuthority.Claim(name, Encode(pid)), ClaimTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            throw new WispException(ErrorKind.Unavailable, $"name service not ready: no answer for '{name}' within {ClaimTimeout.TotalSeconds:0} s");
        }
        if (answer.Failure is { } failure) throw new WispException(ErrorKind.Unavailable, $"name '{name}' not registered: {failure}");
        if (Decode(answer.Holder!) is { } holder && holder != pid)
            throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name} (by {holder})");
        Consistent.Hold(name, pid);
    }

    public bool Unregister(string name, Pid owner, RegistryScope scope)
    {
        switch (scope)
        {
            case RegistryScope.Eventual when Eventual.Drop(name, owner):
                RemoveEventual([name], owner);
                return true;
            case RegistryScope.Consistent when Consistent.Drop(name, owner):
                _authority?.Tell(new NameAuthority.Release(name, Encode(owner)));
                return true;
            default:
                return false;
        }
    }

    public Pid? Lookup(string name) => Consistent.Lookup(name) ?? Eventual.Lookup(name);

    public void Released(Pid pid)
    {
        var eventual = Eventual.DropAll(pid);
        if (eventual.Count > 0) RemoveEventual(eventual, pid);
        foreach (var name in Consistent.DropAll(pid)) _authority?.Tell(new NameAuthority.Release(name, Encode(pid)));
    }

    /// <summary>A node left the cluster: its EVENTUAL names are released (each node removes them: removal is idempotent); its CONSISTENT ones, by the authority.</summary>
    public void NodeRemoved(string node, uint creation)
    {
        Consistent.DropNode(node, creation);
        var gone = Eventual.DropNode(node, creation);
        if (gone.Count == 0) return;
        _replicator.Tell(Dsl.Update(EventualKey, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d =>
        {
            foreach (var name in gone)
                if (d.TryGetValue(name, out var value) && Decode(value) is { } pid && pid.Node == node && pid.Creation == creation) d = d.Remove(_cluster, name);
            return d;
        }));
    }

    /// <summary>
    /// Takes over the names local processes held through <paramref name="previous"/> (the engine this one replaces):
    /// EVENTUAL ones are written again at once; CONSISTENT ones are claimed again once this engine is up in a cluster
    /// (<paramref name="up"/>), and a claim another process won meanwhile revokes the local holder's name (CANCEL
    /// "name revoked").
    /// </summary>
    public void Adopt(ClusterNames previous, Task up)
    {
        foreach (var (name, pid) in previous.Eventual.Held())
        {
            Eventual.Hold(name, pid);
            var value = Encode(pid);
            _replicator.Tell(Dsl.Update(EventualKey, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d => d.SetItem(_cluster, name, value)));
        }
        foreach (var (name, pid) in previous.Consistent.Held()) _ = Reclaim(name, pid, up);
    }

    private async Task Reclaim(string name, Pid pid, Task up)
    {
        try
        {
            await up;
            if (_node.IsAlive(pid)) await RegisterAsync(name, pid, RegistryScope.Consistent);
        }
        catch (WispException e)
        {
            _log.LogWarning("name {name} not claimed again for {pid} after the node rejoined: {error}", name, pid, e.Message);
            _node.TryCancel(pid, $"name revoked: {name}");
        }
    }

    /// <summary>A replica changed: the scope's view follows it; a local process that lost a name hears CANCEL "name revoked".</summary>
    public void Changed(NameView view, LWWDictionary<string, string> replica)
    {
        foreach (var (name, pid) in view.Changed(replica.Entries))
        {
            _log.LogWarning("name {name} revoked from {pid}: another node's process holds it", name, pid);
            _node.TryCancel(pid, $"name revoked: {name}");
        }
    }

    private void RemoveEventual(IEnumerable<string> names, Pid owner)
    {
        var list = names.ToList();
        _replicator.Tell(Dsl.Update(EventualKey, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d =>
        {
            foreach (var name in list)
                if (d.TryGetValue(name, out var value) && Decode(value) == owner) d = d.Remove(_cluster, name);
            return d;
        }));
    }

    private static WispException StrongUnavailable() =>
        new(ErrorKind.Unavailable, "registry scope STRONG (3) is not offered: use CONSISTENT (2), EVENTUAL (1) or LOCAL (0)");

    /// <summary>A PID as the replicated maps hold it: its text and its node's creation.</summary>
    public static string Encode(Pid pid) => $"{pid}#{pid.Creation}";

    public static Pid? Decode(string value)
    {
        int hash = value.LastIndexOf('#');
        if (hash < 0 || !uint.TryParse(value.AsSpan(hash + 1), out uint creation) || !Pid.TryParse(value[..hash], out var pid)) return null;
        return new Pid(pid.Node, pid.Host, pid.Id, creation);
    }
}

/// <summary>Subscribes to the names' replicas and hands each change to <see cref="ClusterNames"/>.</summary>
internal sealed class NamesActor : ReceiveActor
{
    public NamesActor(ClusterNames names)
    {
        Receive<Changed>(c =>
        {
            if (c.Key.Equals(ClusterNames.EventualKey)) names.Changed(names.Eventual, c.Get(ClusterNames.EventualKey));
            else if (c.Key.Equals(NameAuthority.Key)) names.Changed(names.Consistent, c.Get(NameAuthority.Key));
        });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(_ => { });
    }

    protected override void PreStart()
    {
        var replicator = DistributedData.Get(Context.System).Replicator;
        replicator.Tell(Dsl.Subscribe(ClusterNames.EventualKey, Self));
        replicator.Tell(Dsl.Subscribe(NameAuthority.Key, Self));
    }
}
