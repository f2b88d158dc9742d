namespace Wisp;

/// <summary>
/// What a process shows of itself to diagnostics (<see cref="Node.InspectProcesses"/>): read from any thread, without
/// stopping the loop. The counts are the loop's own fields read as they stand; the topology is copied under the
/// process's lock, as the topology's writers hold it; the names are read whole without it (NameTable).
/// </summary>
internal sealed partial class Process
{
    public ProcessInfo Inspect()
    {
        var state = _loopThread != 0 ? ProcessState.Running
            : _mailbox.IsScheduled ? ProcessState.Runnable
            : ProcessState.Waiting;
        string[] names = [.. NameTable.NamesOf(this)];
        var uptime = TimeSpan.FromSeconds(Math.Max(0, Node.SecondsSinceStart() - _spawnedAt));
        return new ProcessInfo(Pid, EntryId, Kind, state, MailboxDepth, MessagesIn, MessagesOut,
            _rare?.Coroutines ?? 0, uptime, names);
    }

    public ProcessDetail InspectDetail()
    {
        var info = Inspect();
        Pid[] links, monitoring, localMonitors;
        lock (this)
        {
            links = Links is null ? [] : [.. Links.Keys];
            monitoring = Monitoring is null ? [] : [.. Monitoring.Keys];
            localMonitors = [.. Monitors.All.Select(m => m.Pid)];
        }
        return new ProcessDetail(info, links, monitoring, [.. localMonitors, .. Node.Remote.MonitorsOf(this)]);
    }
}
