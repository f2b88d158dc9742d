namespace Wisp;

/// <summary>
/// Monitors and links between processes, and what happens to them when a process exits.
///
/// Rules (the seed runtime's):
/// - a monitor is one-way: the watcher gets EXIT on every exit of the target, normal or not;
/// - a link is two-way: when one side exits with an error the other gets LINK_DOWN (which kills it unless it
///   traps links); a normal exit just removes the link;
/// - monitoring or linking a process that is not alive is an error ("pid not registered"); monitoring the
///   same target twice is an error; linking twice, unlinking and unmonitoring are idempotent;
/// - spawn sets monitors and links up before the child first runs, so a child that exits at once is seen.
/// Each process's lists are guarded by that process's monitor; these locks are taken one at a time, never
/// nested (only the mailbox's leaf lock is taken inside one, to post an event). Every cross-reference is
/// written on the watcher's side first, so an exit racing with a monitor call never leaves a stale entry.
/// An EXIT goes to every process on the target's monitor list, a LINK_DOWN to a linked process whose entry
/// exists; the receiver's loop removes the entry as it takes the event (<see cref="Consume"/>) and drops an event
/// whose entry is gone: one Unmonitor or Unlink in between drops it, so nothing arrives after they returned
/// (Erlang's unlink guarantee; demonitor with flush).
/// Exit order: mark exited → stop routing (process table) → release names → notify monitors and links.
/// A watched PID of another node has a null entry in the watcher's lists; its half lives in RemoteWatches, which
/// keeps the same rules across nodes.
/// </summary>
internal sealed class Topology(Node node)
{
    public void Monitor(Process watcher, Process target)
    {
        lock (watcher)
        {
            if (!(watcher.Monitoring ??= []).TryAdd(target.Pid, target))
                throw new WispException(ErrorKind.AlreadyExists, $"already monitoring pid {target.Pid}");
        }
        lock (target)
        {
            if (!target.IsExited)
            {
                target.Monitors.Add(watcher);
                return;
            }
        }
        lock (watcher) watcher.Monitoring!.Remove(target.Pid);
        throw NotRegistered(target.Pid);
    }

    /// <summary>Monitors a PID of another node: the watcher's entry here, the request there (see RemoteNodes).</summary>
    public void MonitorRemote(Process watcher, Pid target)
    {
        lock (watcher)
        {
            if (!(watcher.Monitoring ??= []).TryAdd(target, null))
                throw new WispException(ErrorKind.AlreadyExists, $"already monitoring pid {target}");
        }
        try
        {
            node.Remote.Watch(watcher, target, link: false);
        }
        catch
        {
            lock (watcher) watcher.Monitoring!.Remove(target);
            throw;
        }
    }

    /// <summary>
    /// Removes the monitor by PID from the watcher's own list, which works even once the target is exiting;
    /// an EXIT is only posted while that entry exists, so none arrives after this returns.
    /// </summary>
    public void Unmonitor(Process watcher, Pid target)
    {
        Process? found;
        lock (watcher)
            if (watcher.Monitoring is null || !watcher.Monitoring.Remove(target, out found)) return;
        if (found is null) node.Remote.Unwatch(watcher, target, link: false);
        else lock (found) found.Monitors.Remove(watcher);
    }

    public void Link(Process a, Process b)
    {
        bool added;
        lock (a) added = (a.Links ??= []).TryAdd(b.Pid, b);
        lock (b)
        {
            if (!b.IsExited)
            {
                (b.Links ??= []).TryAdd(a.Pid, a);
                return;
            }
        }
        if (added) lock (a) a.Links!.Remove(b.Pid);
        throw NotRegistered(b.Pid);
    }

    /// <summary>Links to a PID of another node (idempotent): this side's entry here, the request there.</summary>
    public void LinkRemote(Process a, Pid b)
    {
        lock (a)
            if (!(a.Links ??= []).TryAdd(b, null)) return;
        try
        {
            node.Remote.Watch(a, b, link: true);
        }
        catch
        {
            lock (a) a.Links!.Remove(b);
            throw;
        }
    }

    /// <summary>Removes the link by PID from both sides; no LINK_DOWN arrives after this returns (see <see cref="Unmonitor"/>).</summary>
    public void Unlink(Process a, Pid b)
    {
        Process? found;
        lock (a)
            if (a.Links is null || !a.Links.Remove(b, out found)) return;
        if (found is null) node.Remote.Unwatch(a, b, link: true);
        else lock (found) found.Links?.Remove(a.Pid);
    }

    /// <summary>Sets up the monitor/link of a child that has not run yet (nobody else can see it).</summary>
    public static void AttachChild(Process parent, Process child, bool monitor, bool link)
    {
        if (monitor)
        {
            lock (parent) (parent.Monitoring ??= []).Add(child.Pid, child);
            child.Monitors.Add(parent);
        }
        if (link)
        {
            lock (parent) (parent.Links ??= []).Add(child.Pid, child);
            child.Links = new() { [parent.Pid] = parent };
        }
    }

    public void OnExit(Process process, ExitResult result)
    {
        OneOrMany<Process> monitors;
        Dictionary<Pid, Process?>? monitoring, links;
        object? names;
        TaskCompletionSource<ExitResult>? waiter;
        lock (process)
        {
            (monitors, monitoring, links, names, waiter) =
                (process.Monitors, process.Monitoring, process.Links, process.Names, process.ExitState as TaskCompletionSource<ExitResult>);
            process.ExitState = result;
            process.Monitors = default;
            process.Monitoring = process.Links = null;
            process.Names = null;
        }
        node.Forget(process);
        node.Registry.Release(process, names);

        if (node.Remote.IsAttached) node.Remote.OnExit(process, result, monitoring, links);
        if (monitoring is not null)
            foreach (var target in monitoring.Values)
                if (target is not null)
                    lock (target) target.Monitors.Remove(process);

        // The events' time: not read when no event is sent (most exits of a tree of workers; a clock read is ~25 ns on a VM).
        var at = monitors.IsEmpty && (links is null || !result.IsError) ? default : node.Time.GetUtcNow();
        if (!monitors.IsEmpty)
        {
            // Posted to every watcher without taking its lock or reading its entry, which its loop (maybe on another core)
            // writes: a watcher that has unmonitored since drops the EXIT as it takes it (Consume).
            var exit = ProcessEvent.Exit(process.Pid, at, result);
            monitors.ForEach((exit, process), static (watcher, e) => watcher.Post(e.exit, e.process));
        }
        if (links is not null)
        {
            var down = result.IsError ? ProcessEvent.LinkDown(process.Pid, at, result) : null;
            foreach (var linked in links.Values)
                if (linked is not null)
                    lock (linked)
                    {
                        if (down is null) linked.Links?.Remove(process.Pid);   // a normal exit just ends the link
                        else if (linked.Links?.ContainsKey(process.Pid) == true) linked.Post(down, process);   // removed by Consume
                    }
        }
        waiter?.TrySetResult(result);
    }

    /// <summary>
    /// On the receiver's loop, as an EXIT or LINK_DOWN is taken from its mailbox: removes the monitor or link
    /// and says whether the event still counts. An Unmonitor or Unlink that ran after the event was posted has
    /// removed the entry already, and the event is then dropped, so nothing arrives after they returned.
    /// </summary>
    public bool Consume(Process receiver, ProcessEvent ended)
    {
        lock (receiver)
            return ended.Kind == EventKind.Exit
                ? receiver.Monitoring?.Remove(ended.From) == true
                : receiver.Links?.Remove(ended.From) == true;
    }

    internal static WispException NotRegistered(Pid pid) => new(ErrorKind.NotFound, $"pid not registered: {pid}");
}
