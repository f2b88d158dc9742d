using System.Collections.Concurrent;

namespace Wisp;

/// <summary>
/// The node's registry of process names (one for all hosts, as the seed's LOCAL scope).
///
/// Rules: registering the same name to the same process again succeeds; to another process fails with
/// "name already registered"; a process may hold several names; all of them are released when it exits.
/// Names are looked up on every send, never cached. A process's own list of names is guarded by its
/// monitor, and registration checks liveness under that monitor, so a name is never left behind by a
/// process that exits while registering.
/// </summary>
public sealed class Registry
{
    private readonly ConcurrentDictionary<string, Process> _names = new(StringComparer.Ordinal);

    /// <summary>The PID registered under <paramref name="name"/>, or null.</summary>
    public Pid? Lookup(string name) => _names.TryGetValue(name, out var process) ? process.Pid : null;

    /// <summary>Removes a name; false if it was not registered (not an error).</summary>
    public bool Unregister(string name)
    {
        if (!_names.TryRemove(name, out var owner)) return false;
        lock (owner) owner.Names.Remove(name);
        return true;
    }

    /// <summary>Every registered name with its PID, for diagnostics.</summary>
    public IReadOnlyDictionary<string, Pid> Snapshot() => _names.ToDictionary(kv => kv.Key, kv => kv.Value.Pid);

    internal void Register(string name, Process process)
    {
        if (string.IsNullOrEmpty(name)) throw new WispException(ErrorKind.Invalid, "name cannot be empty");
        lock (process)
        {
            if (process.IsExited) throw new WispException(ErrorKind.NotFound, $"process not found: {process.Pid}");
            if (!_names.TryAdd(name, process))
            {
                if (_names.TryGetValue(name, out var owner) && owner == process) return;
                throw new WispException(ErrorKind.AlreadyExists, $"name already registered: {name}");
            }
            process.Names.Add(name);
        }
    }

    internal bool TryResolve(string name, out Process process) => _names.TryGetValue(name, out process!);

    internal void Release(Process process, ProcessNames names)
    {
        if (names.First is { } first) _names.TryRemove(new KeyValuePair<string, Process>(first, process));
        foreach (var name in names.More ?? []) _names.TryRemove(new KeyValuePair<string, Process>(name, process));
    }
}

/// <summary>
/// The names one process holds, kept by the process under its monitor. Most hold none or one, so the first
/// is a plain field and a list exists only from the second on (a list for every registered process was 64 B).
/// </summary>
internal struct ProcessNames
{
    public string? First { get; private set; }
    public List<string>? More { get; private set; }

    public void Add(string name)
    {
        if (First is null) First = name;
        else (More ??= []).Add(name);
    }

    public void Remove(string name)
    {
        if (First == name) First = null;
        else More?.Remove(name);
    }
}
