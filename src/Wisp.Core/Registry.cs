namespace Wisp;

/// <summary>
/// The node's registry of process names: the LOCAL scope (one for all hosts, as the seed's), and, on a node joined
/// to a cluster, the cluster scopes its engine keeps (<see cref="IClusterNames"/>).
///
/// Rules: registering the same name to the same process again succeeds; to another process fails with
/// "name already registered"; a process may hold several names; all of them are released when it exits.
/// Names are looked up on every send, never cached; a lookup asks the cluster scopes first, so a cluster name
/// shadows a local one (the reference's order), and a LOCAL register of a name the cluster knows is refused. A
/// process's local names change under its monitor (and the name table's lock: <see cref="NameTable"/>), and
/// registration checks liveness under that monitor, so a name is never left behind by a process that exits while
/// registering.
/// </summary>
public sealed class Registry
{
    private readonly NameTable _names = new();
    private IClusterNames? _cluster;

    /// <summary>The scope of a register that names none: LOCAL, unless the node says otherwise (<c>--default-scope</c>).</summary>
    public RegistryScope DefaultScope { get; internal set; } = RegistryScope.Local;

    /// <summary>Adds the cluster scopes; once, before processes use them.</summary>
    public void Attach(IClusterNames cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (Interlocked.CompareExchange(ref _cluster, cluster, null) is not null)
            throw new WispException(ErrorKind.InvalidState, "cluster names are attached already");
    }

    internal IClusterNames? Cluster => Volatile.Read(ref _cluster);

    /// <summary>The PID registered under <paramref name="name"/> (cluster scopes first), or null.</summary>
    public Pid? Lookup(string name) =>
        Cluster?.Lookup(name) ?? _names.Find(name)?.Pid;

    /// <summary>Removes a local name; false if it was not registered (not an error).</summary>
    public bool Unregister(string name)
    {
        while (_names.Find(name) is { } owner)
            lock (owner)
                if (_names.Remove(name, owner)) return true;   // else it lost the name meanwhile: look again
        return false;
    }

    /// <summary>Every registered name with its PID, for diagnostics.</summary>
    public IReadOnlyDictionary<string, Pid> Snapshot() => _names.Snapshot().ToDictionary(e => e.Name, e => e.Holder.Pid);

    /// <summary>
    /// Registers in a scope that needs no agreement (LOCAL, EVENTUAL); a CONSISTENT or STRONG name is InvalidState here
    /// (<see cref="RegisterAsync"/> waits for the cluster's answer).
    /// </summary>
    internal void Register(string name, Process process, RegistryScope scope)
    {
        if (string.IsNullOrEmpty(name)) throw new WispException(ErrorKind.Invalid, "name cannot be empty");
        if (scope != RegistryScope.Local)
        {
            ClusterFor(process, scope).Register(name, process.Pid, scope);
            return;
        }
        if (Cluster?.Lookup(name) is { } holder && holder != process.Pid)
            throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name} (in a cluster scope, by {holder})");
        lock (process)
        {
            if (process.IsExited) throw new WispException(ErrorKind.NotFound, $"process not found: {process.Pid}");
            if (!_names.TryAdd(name, process, out var owner) && owner != process)
                throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name}");
        }
    }

    internal bool TryResolve(string name, out Process process) => (process = _names.Find(name)!) is not null;

    /// <summary>Registers in any scope: at once for LOCAL and EVENTUAL, once the cluster agrees for CONSISTENT and STRONG.</summary>
    internal Task RegisterAsync(string name, Process process, RegistryScope scope)
    {
        if (scope is RegistryScope.Local or RegistryScope.Eventual || string.IsNullOrEmpty(name))
        {
            Register(name, process, scope);
            return Task.CompletedTask;
        }
        return ClusterFor(process, scope).RegisterAsync(name, process.Pid, scope);
    }

    private IClusterNames ClusterFor(Process process, RegistryScope scope)
    {
        var cluster = Cluster ?? throw new WispException(ErrorKind.Unavailable,
            $"registry scope {(int)scope} needs a cluster: this node is standalone (use the LOCAL scope)");
        if (process.IsExited) throw new WispException(ErrorKind.NotFound, $"process not found: {process.Pid}");
        return cluster;
    }

    /// <summary>Removes a name <paramref name="owner"/> holds in <paramref name="scope"/>; false if it does not.</summary>
    internal bool Unregister(string name, Process owner, RegistryScope scope)
    {
        if (scope == RegistryScope.Local)
        {
            lock (owner) return _names.Remove(name, owner);
        }
        return Cluster?.Unregister(name, owner.Pid, scope) ?? false;
    }

    /// <summary>An exited process's names (cleared from it under its monitor) leave the table.</summary>
    internal void Release(Process process, object? names)
    {
        _names.Release(process, names);
        Cluster?.Released(process.Pid);
    }
}
