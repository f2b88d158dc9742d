namespace Wisp;

/// <summary>
/// The processes monitoring one process (the EXIT's receivers), held in the target under its lock (Topology.cs).
/// Most processes have none or one (a spawned child and its parent), so one is kept without a list. A mutable struct:
/// changed only in place (the process's field), never through a copy.
/// </summary>
internal struct Watchers
{
    private object? _watchers;   // null, a Process, or a List<Process> of two or more

    public readonly bool IsEmpty => _watchers is null;

    public void Add(Process watcher) => _watchers = _watchers switch
    {
        null => watcher,
        Process one => new List<Process> { one, watcher },
        List<Process> many => Append(many, watcher),
        _ => throw new InvalidOperationException("unreachable"),
    };

    public void Remove(Process watcher)
    {
        if (_watchers == watcher) _watchers = null;
        else if (_watchers is List<Process> many && many.Remove(watcher))
            _watchers = many.Count == 1 ? many[0] : many;
    }

    /// <summary>Calls <paramref name="action"/> for each watcher (without a list for one).</summary>
    public readonly void ForEach<TState>(TState state, Action<Process, TState> action)
    {
        if (_watchers is Process one) action(one, state);
        else if (_watchers is List<Process> many)
            foreach (var watcher in many) action(watcher, state);
    }

    public readonly Pid[] Pids() => _watchers switch
    {
        Process one => [one.Pid],
        List<Process> many => [.. many.Select(m => m.Pid)],
        _ => [],
    };

    private static List<Process> Append(List<Process> watchers, Process watcher)
    {
        watchers.Add(watcher);
        return watchers;
    }
}
