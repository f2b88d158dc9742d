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
        foreach (var name in names.All) _names.TryRemove(new KeyValuePair<string, Process>(name, process));
    }
}

/// <summary>
/// The names one process holds, kept by the process under its monitor. Most hold none or one, so a single
/// reference holds either the one name or, from the second on, a list of them (a list for every registered
/// process was 64 B).
/// </summary>
internal struct ProcessNames
{
    private object? _names;   // null, a string, or a List<string> of two or more

    public readonly IEnumerable<string> All => _names switch
    {
        string one => [one],
        List<string> many => many,
        _ => [],
    };

    public void Add(string name) => _names = _names switch
    {
        null => name,
        string one => new List<string> { one, name },
        List<string> many => Append(many, name),
        _ => throw new InvalidOperationException("unreachable"),
    };

    public void Remove(string name)
    {
        if (_names is string one && one == name) _names = null;
        else if (_names is List<string> many && many.Remove(name))
            _names = many.Count switch { 0 => null, 1 => many[0], _ => many };
    }

    private static List<string> Append(List<string> names, string name)
    {
        names.Add(name);
        return names;
    }
}
