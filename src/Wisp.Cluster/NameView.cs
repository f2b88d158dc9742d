namespace Wisp.Cluster;

/// <summary>
/// This node's view of one replicated map of names (name → PID): the replica as last notified, overlaid with what
/// the local processes hold, which wins over an older notification until the replica shows another holder (then the
/// local holder has lost the name: it is revoked). Lookups give only holders this node can reach.
/// Invariants, under <see cref="_gate"/>: every name in <see cref="_owned"/> is in <see cref="_view"/> with its local
/// holder; a local PID is in the view only for a name it holds here (a release here wins over a stale replica).
/// </summary>
internal sealed class NameView(string localNode, Func<Pid, bool> reachable)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Pid> _view = new(StringComparer.Ordinal);
    private readonly Dictionary<Pid, HashSet<string>> _owned = [];

    /// <summary>The reachable holder of a name, or null.</summary>
    public Pid? Lookup(string name)
    {
        lock (_gate) return _view.TryGetValue(name, out var pid) && reachable(pid) ? pid : null;
    }

    /// <summary>Whether another reachable process holds the name (its PID then).</summary>
    public Pid? HeldByAnother(string name, Pid pid)
    {
        lock (_gate) return _view.TryGetValue(name, out var holder) && holder != pid && reachable(holder) ? holder : null;
    }

    /// <summary>Records that a local process holds the name.</summary>
    public void Hold(string name, Pid pid)
    {
        lock (_gate)
        {
            _view[name] = pid;
            if (!_owned.TryGetValue(pid, out var names)) _owned[pid] = names = new(StringComparer.Ordinal);
            names.Add(name);
            AssertInvariants();
        }
    }

    /// <summary>Every name a local process holds, with its holder.</summary>
    public List<(string Name, Pid Pid)> Held()
    {
        lock (_gate) return [.. _owned.SelectMany(o => o.Value.Select(name => (name, o.Key)))];
    }

    /// <summary>Lets go of one name a local process holds; false if it does not hold it.</summary>
    public bool Drop(string name, Pid owner)
    {
        lock (_gate)
        {
            if (!_owned.TryGetValue(owner, out var names) || !names.Remove(name)) return false;
            if (names.Count == 0) _owned.Remove(owner);
            _view.Remove(name);
            return true;
        }
    }

    /// <summary>Every name an exited local process held, let go.</summary>
    public IReadOnlyCollection<string> DropAll(Pid owner)
    {
        lock (_gate)
        {
            if (!_owned.Remove(owner, out var names)) return [];
            foreach (var name in names) _view.Remove(name);
            return names;
        }
    }

    /// <summary>Forgets the names held by processes of a node that left (in that incarnation); returns them.</summary>
    public List<string> DropNode(string node, uint creation)
    {
        lock (_gate)
        {
            var gone = _view.Where(e => e.Value.Node == node && (e.Value.Creation == 0 || e.Value.Creation == creation)).Select(e => e.Key).ToList();
            foreach (var name in gone) _view.Remove(name);
            return gone;
        }
    }

    /// <summary>The replica changed: the view follows it; returns the local holders that lost their names to another.</summary>
    public List<(string Name, Pid Pid)> Changed(IEnumerable<KeyValuePair<string, string>> replica)
    {
        var revoked = new List<(string, Pid)>();
        lock (_gate)
        {
            _view.Clear();
            foreach (var (name, value) in replica)
            {
                if (ClusterNames.Decode(value) is not { } pid) continue;
                if (pid.Node == localNode && !(_owned.TryGetValue(pid, out var held) && held.Contains(name))) continue;   // released here
                _view[name] = pid;
            }
            foreach (var (pid, names) in _owned)
                foreach (var name in names.ToList())
                {
                    if (!_view.TryGetValue(name, out var holder)) _view[name] = pid;   // held here, not yet in the replica
                    else if (holder != pid)
                    {
                        names.Remove(name);
                        revoked.Add((name, pid));
                    }
                }
            foreach (var pid in _owned.Where(o => o.Value.Count == 0).Select(o => o.Key).ToList()) _owned.Remove(pid);
            AssertInvariants();
        }
        return revoked;
    }

    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertInvariants()
    {
        foreach (var (pid, names) in _owned)
            foreach (var name in names)
                System.Diagnostics.Debug.Assert(_view.TryGetValue(name, out var holder) && holder == pid, $"{name} held by {pid} but not in the view");
    }
}
