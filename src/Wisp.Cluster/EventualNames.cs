using System.Collections.Concurrent;
using Akka.Actor;
using Akka.DistributedData;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// The cluster scopes of the node's registry. EVENTUAL names live in a Distributed Data last-writer-wins dictionary
/// (name → PID text and creation) that every node replicates; lookups read this node's view, never the network.
///
/// Rules (the reference's for EVENTUAL):
/// - a register succeeds at once on this node (written to the local replica, gossiped to the others); a name that
///   this node sees held by another live process is AlreadyExists;
/// - when two nodes register the same name at once, the replicas converge on one holder; the process that lost it
///   gets CANCEL "name revoked: name" and keeps running;
/// - a name is released when its process exits, and when its node leaves the cluster; while its node is unreachable a
///   lookup does not give it.
/// Invariants: <see cref="_view"/> is the replica as last notified, overlaid with what local processes hold
/// (<see cref="_owned"/>: a local write wins over an older notification until the replica shows another holder);
/// both change under <see cref="_gate"/>. CONSISTENT and STRONG are not offered yet (Unavailable).
/// </summary>
internal sealed class EventualNames : IClusterNames
{
    public static readonly LWWDictionaryKey<string, string> Key = new("wisp-names-eventual");

    private readonly object _gate = new();
    private readonly Dictionary<string, Pid> _view = new(StringComparer.Ordinal);
    private readonly Dictionary<Pid, HashSet<string>> _owned = [];
    private readonly Node _node;
    private readonly NodeDirectory _directory;
    private readonly IActorRef _replicator;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly ILogger _log;

    public EventualNames(Node node, NodeDirectory directory, ActorSystem system, ILogger log)
    {
        _node = node;
        _directory = directory;
        _replicator = DistributedData.Get(system).Replicator;
        _cluster = Akka.Cluster.Cluster.Get(system);
        _log = log;
    }

    public void Register(string name, Pid pid, RegistryScope scope)
    {
        if (scope != RegistryScope.Eventual)
            throw new WispException(ErrorKind.Unavailable, $"registry scope {(int)scope} is not offered yet: use EVENTUAL (1) or LOCAL (0)");
        lock (_gate)
        {
            if (_view.TryGetValue(name, out var holder) && holder != pid && Reachable(holder))
                throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name}");
            _view[name] = pid;
            if (!_owned.TryGetValue(pid, out var names)) _owned[pid] = names = new(StringComparer.Ordinal);
            names.Add(name);
        }
        var value = Encode(pid);
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d => d.SetItem(_cluster, name, value)));
    }

    public bool Unregister(string name, Pid owner, RegistryScope scope)
    {
        if (scope != RegistryScope.Eventual) return false;
        lock (_gate)
        {
            if (!_owned.TryGetValue(owner, out var names) || !names.Remove(name)) return false;
            if (names.Count == 0) _owned.Remove(owner);
            _view.Remove(name);
        }
        Remove([name], owner);
        return true;
    }

    public Pid? Lookup(string name)
    {
        lock (_gate) return _view.TryGetValue(name, out var pid) && Reachable(pid) ? pid : null;
    }

    public void Released(Pid pid)
    {
        HashSet<string>? names;
        lock (_gate)
        {
            if (!_owned.Remove(pid, out names)) return;
            foreach (var name in names) _view.Remove(name);
        }
        Remove(names, pid);
    }

    /// <summary>A node left the cluster: the names its processes held are released (each node removes them; removal is idempotent).</summary>
    public void NodeRemoved(string node, uint creation)
    {
        List<string> gone;
        lock (_gate)
        {
            gone = _view.Where(e => e.Value.Node == node && (e.Value.Creation == 0 || e.Value.Creation == creation)).Select(e => e.Key).ToList();
            foreach (var name in gone) _view.Remove(name);
        }
        if (gone.Count > 0)
            _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d =>
            {
                foreach (var name in gone)
                    if (d.TryGetValue(name, out var value) && Decode(value) is { } pid && pid.Node == node && pid.Creation == creation) d = d.Remove(_cluster, name);
                return d;
            }));
    }

    /// <summary>The replica changed: the view follows it, local holders keep what they hold unless another won it.</summary>
    public void Changed(LWWDictionary<string, string> replica)
    {
        var revoked = new List<(string Name, Pid Pid)>();
        lock (_gate)
        {
            _view.Clear();
            foreach (var (name, value) in replica.Entries)
            {
                if (Decode(value) is not { } pid) continue;
                bool local = pid.Node == _node.Name;
                if (local && !(_owned.TryGetValue(pid, out var held) && held.Contains(name))) continue;   // released here, not yet in the replica
                _view[name] = pid;
            }
            foreach (var (pid, names) in _owned)
                foreach (var name in names.ToList())
                {
                    if (!_view.TryGetValue(name, out var holder)) _view[name] = pid;   // written here, not yet in the replica
                    else if (holder != pid)
                    {
                        names.Remove(name);
                        revoked.Add((name, pid));
                    }
                }
            foreach (var pid in _owned.Where(o => o.Value.Count == 0).Select(o => o.Key).ToList()) _owned.Remove(pid);
        }
        foreach (var (name, pid) in revoked)
        {
            _log.LogWarning("name {name} revoked from {pid}: another node's process holds it", name, pid);
            _node.TryCancel(pid, $"name revoked: {name}");
        }
    }

    private void Remove(IEnumerable<string> names, Pid owner)
    {
        var list = names.ToList();
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, WriteLocal.Instance, d =>
        {
            foreach (var name in list)
                if (d.TryGetValue(name, out var value) && Decode(value) == owner) d = d.Remove(_cluster, name);
            return d;
        }));
    }

    private bool Reachable(Pid pid) =>
        pid.Node == _node.Name ? _node.IsAlive(pid) : _directory.CreationOf(pid.Node) is { } creation && (pid.Creation == 0 || pid.Creation == creation);

    private static string Encode(Pid pid) => $"{pid}#{pid.Creation}";

    private static Pid? Decode(string value)
    {
        int hash = value.LastIndexOf('#');
        if (hash < 0 || !uint.TryParse(value.AsSpan(hash + 1), out uint creation) || !Pid.TryParse(value[..hash], out var pid)) return null;
        return new Pid(pid.Node, pid.Host, pid.Id, creation);
    }
}

/// <summary>Subscribes to the names' replica and hands each change to <see cref="EventualNames"/>.</summary>
internal sealed class NamesActor : ReceiveActor
{
    public NamesActor(EventualNames names)
    {
        Receive<Changed>(c => names.Changed(c.Get(EventualNames.Key)));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(_ => { });
    }

    protected override void PreStart() => DistributedData.Get(Context.System).Replicator.Tell(Dsl.Subscribe(EventualNames.Key, Self));
}
