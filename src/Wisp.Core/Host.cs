using System.Collections.Concurrent;

namespace Wisp;

/// <summary>How a host runs its processes.</summary>
public sealed record HostOptions
{
    /// <summary>At most this many of the host's processes run at once; null shares the whole thread pool.</summary>
    public int? Workers { get; init; }

    /// <summary>A send to a process of this host fails once it holds this many undelivered messages; null = unbounded.</summary>
    public int? MailboxLimit { get; init; }

    /// <summary>
    /// The most memory, in bytes, one process of this host may hold in a runtime that can count it (a Lua process:
    /// past it, that process alone fails with "memory limit exceeded"); null = no limit.
    /// </summary>
    public long? ProcessMemoryLimit { get; init; }
}

/// <summary>
/// A host: a named place where processes run (<c>app:processes</c>, <c>app:terminal</c>). It owns a scheduler,
/// an optional mailbox limit, and features that the hosting layer offers to its processes (the terminal).
/// </summary>
public sealed class Host
{
    private readonly ConcurrentDictionary<Type, object> _features = new();
    private volatile bool _accepting = true;

    internal Host(Node node, string id, HostOptions options, IWorkScheduler scheduler)
    {
        if (options.MailboxLimit is <= 0)
            throw new WispException(ErrorKind.Invalid, $"host {id}: mailbox limit must be > 0, got {options.MailboxLimit}");
        if (options.ProcessMemoryLimit is <= 0)
            throw new WispException(ErrorKind.Invalid, $"host {id}: process memory limit must be > 0, got {options.ProcessMemoryLimit}");
        Node = node;
        Id = id;
        Options = options;
        Scheduler = scheduler;
        Counts = new HostCounts(id);
        PidOrigin = new Pid.Origin(node.Name, id, node.Creation);
    }

    internal Node Node { get; }
    public string Id { get; }
    public HostOptions Options { get; }
    public IWorkScheduler Scheduler { get; }
    public bool IsAccepting => _accepting;

    /// <summary>The node, host and creation every PID of this host's processes shares (node name and creation never change).</summary>
    internal Pid.Origin PidOrigin { get; }

    /// <summary>Spawns, exits and the counts of exited processes, per kind (NodeMetrics.cs).</summary>
    internal HostCounts Counts { get; }

    /// <summary>Offers a service to the processes of this host (found with <see cref="ProcessContext.Feature{T}"/>).</summary>
    public void SetFeature<T>(T feature) where T : class => _features[typeof(T)] = feature;

    public T? GetFeature<T>() where T : class => _features.TryGetValue(typeof(T), out var f) ? (T)f : null;

    internal void StopAccepting() => _accepting = false;

    public override string ToString() => Id;
}
