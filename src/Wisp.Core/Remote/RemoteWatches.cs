using System.Collections.Concurrent;

namespace Wisp;

/// <summary>
/// The cross-node half of the topology (see Topology.cs for the local rules, which it keeps): the watches local
/// processes hold on PIDs of other nodes (outbound: a monitor, or this side of a link), and the monitors processes
/// of other nodes hold on local ones (inbound). A link across nodes is an outbound watch on both sides.
///
/// Invariants:
/// - an outbound watch exists from the watcher's monitor or link until exactly one of these takes it: the
///   target's EXIT, LINK_DOWN or unlink arrives, the watcher unmonitors, unlinks or exits, or the target's node
///   is reported down; only the one that takes it may post an event for it, so each watch gives at most one EXIT
///   or LINK_DOWN, and a node's loss gives exactly one to every watch still held on its processes;
/// - a watch is added only while its target's node is reachable in the target's incarnation, checked under the
///   same lock that taking a node's watches holds, so no watch outlives the report of its node's loss;
/// - an inbound monitor is added only while its target is alive (checked under the target's lock, where the exit
///   is recorded), so every one is either told of the exit or dropped with its node.
/// Locking: <see cref="_gate"/> guards the outbound table; it may be held while a process's lock is taken (to
/// post), never the reverse. Each inbound list is guarded by its own lock, taken alone.
/// </summary>
internal sealed class RemoteWatches
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<Pid, List<Watch>>> _outbound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Process, List<Pid>> _inbound = new(ReferenceEqualityComparer.Instance);

    /// <summary>A local process watching a remote PID: its monitor, or its side of a link.</summary>
    public readonly record struct Watch(Process Watcher, bool Link);

    /// <summary>
    /// Adds a watch of <paramref name="target"/> if its node is reachable in the target's incarnation, and runs
    /// <paramref name="added"/> under the lock (to queue the request, so that a node reported down after the check
    /// finds the watch); false, with nothing added, if the node is not reachable.
    /// </summary>
    public bool TryAdd(Process watcher, Pid target, bool link, Func<string, uint?> creationOf, Action added)
    {
        lock (_gate)
        {
            if (creationOf(target.Node) is not { } creation || (target.Creation != 0 && target.Creation != creation)) return false;
            if (!_outbound.TryGetValue(target.Node, out var targets)) _outbound[target.Node] = targets = [];
            if (!targets.TryGetValue(target, out var watches)) targets[target] = watches = [];
            watches.Add(new Watch(watcher, link));
            added();
            AssertInvariants();
            return true;
        }
    }

    /// <summary>Takes one watch; false if another path took it already.</summary>
    public bool TryTake(Process watcher, Pid target, bool link)
    {
        lock (_gate)
        {
            if (!_outbound.TryGetValue(target.Node, out var targets) || !targets.TryGetValue(target, out var watches)) return false;
            if (!watches.Remove(new Watch(watcher, link))) return false;
            if (watches.Count == 0 && targets.Remove(target) && targets.Count == 0) _outbound.Remove(target.Node);
            return true;
        }
    }

    /// <summary>
    /// Takes every watch on processes of <paramref name="node"/> in incarnation <paramref name="creation"/> (and
    /// those made from PIDs that name no incarnation) and runs <paramref name="lost"/> for each, under the lock.
    /// </summary>
    public void TakeNode(string node, uint creation, Action<Pid, Watch> lost)
    {
        lock (_gate)
        {
            if (!_outbound.TryGetValue(node, out var targets)) return;
            foreach (var target in targets.Keys.Where(t => t.Creation == 0 || t.Creation == creation).ToList())
            {
                foreach (var watch in targets[target]) lost(target, watch);
                targets.Remove(target);
            }
            if (targets.Count == 0) _outbound.Remove(node);
            AssertInvariants();
        }
    }

    /// <summary>Records that <paramref name="watcher"/> on another node monitors <paramref name="target"/>; false if the target has exited.</summary>
    public bool TryAddInbound(Process target, Pid watcher)
    {
        lock (target)
        {
            if (target.ExitState is ExitResult) return false;   // recorded under this lock by Topology.OnExit
            var monitors = _inbound.GetOrAdd(target, _ => []);
            lock (monitors) if (!monitors.Contains(watcher)) monitors.Add(watcher);
            return true;
        }
    }

    public void RemoveInbound(Process target, Pid watcher)
    {
        if (!_inbound.TryGetValue(target, out var monitors)) return;
        lock (monitors) monitors.Remove(watcher);
    }

    /// <summary>The processes of other nodes monitoring <paramref name="target"/> now (diagnostics).</summary>
    public List<Pid> InboundOf(Process target)
    {
        if (!_inbound.TryGetValue(target, out var monitors)) return [];
        lock (monitors) return [.. monitors];
    }

    /// <summary>The remote monitors of a process that has exited (after its exit was recorded), taken for good.</summary>
    public List<Pid>? TakeInbound(Process target)
    {
        if (!_inbound.TryRemove(target, out var monitors)) return null;
        lock (monitors) return [.. monitors];
    }

    /// <summary>Forgets the monitors held on local processes from <paramref name="node"/>'s incarnation <paramref name="creation"/>.</summary>
    public void DropInbound(string node, uint creation)
    {
        foreach (var (_, monitors) in _inbound)
            lock (monitors) monitors.RemoveAll(w => w.Node == node && (w.Creation == 0 || w.Creation == creation));
    }

    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertInvariants()
    {
        foreach (var (node, targets) in _outbound)
        {
            System.Diagnostics.Debug.Assert(targets.Count > 0, $"an empty entry for node {node}");
            foreach (var (target, watches) in targets)
                System.Diagnostics.Debug.Assert(target.Node == node && watches.Count > 0, $"a watch of {target} filed under {node}, or none");
        }
    }
}
